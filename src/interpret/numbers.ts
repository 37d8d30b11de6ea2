/** gopher-lua's number → string (LNumber.String): integral values up to int64 in full, else Go's %v. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return goFloat(n);
}

/** Go's strconv.FormatFloat(n, 'g', -1, 64) (what fmt's %v prints for a float64). */
export function goFloat(n: number): string {
  if (n === 0) return '0';
  const e = n.toExponential(); // shortest round-trip digits
  const [mant, expS] = e.split('e');
  const exp = Number(expS);
  if (exp < -4 || exp >= 21) {
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const digits = mant.replace('-', '').replace('.', '').length;
  if (exp >= Math.max(digits, 6) || (exp >= 6 && !Number.isInteger(n))) {
    return `${mant}e+${String(exp).padStart(2, '0')}`;
  }
  return String(n);
}

