/**
 * Kubernetes resource.Quantity (k8s.io/apimachinery/pkg/api/resource): parsing with its rounding
 * (up to 1n, binary values capped at 2^63-1), canonical formatting (`1Gi`, `500m`, `1e3`,
 * `1080m`), comparison. Exact: values are BigInt × 10^exp.
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export class QuantityError extends Error {}

export const ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const ERR_SUFFIX = "unable to parse quantity's suffix";

const DEC_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DEC_BY_EXP = new Map(Object.entries(DEC_SUFFIX).map(([k, v]) => [v, k]));
const BIN_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const BIN_BY_POW = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const MAX_INT32 = 2147483647;
const MAX_ALLOWED = (1n << 63n) - 1n;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

interface Split {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

/** kubectl's parseQuantityString: sign, digits, fraction, suffix. */
function splitQuantity(str: string): Split {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && str[i] >= '0' && str[i] <= '9') i++;
  let num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && str[i] >= '0' && str[i] <= '9') i++;
    denom = str.slice(pos, i);
    pos = i;
  }
  const suffixStart = pos;
  i = pos;
  while (i < end && 'eEinumkKMGTP'.includes(str[i])) i++;
  pos = i;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  i = pos;
  while (i < end && str[i] >= '0' && str[i] <= '9') i++;
  if (i < end) throw new QuantityError(ERR_FORMAT_WRONG);
  return { positive, num, denom, suffix: str.slice(suffixStart, end) };
}

function interpretSuffix(s: string): { base: 10 | 2; exp: number; format: QuantityFormat } | undefined {
  if (s in DEC_SUFFIX) return { base: 10, exp: DEC_SUFFIX[s], format: 'DecimalSI' };
  if (s in BIN_SUFFIX) return { base: 2, exp: BIN_SUFFIX[s], format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    if (!/^[eE][+-]?\d+$/.test(s)) return undefined;
    const n = Number(s.slice(1));
    if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_INT32) return undefined;
    return { base: 10, exp: n, format: 'DecimalExponent' };
  }
  return undefined;
}

export class Quantity {
  /** value = unscaled × 10^exp */
  private constructor(
    readonly unscaled: bigint,
    readonly exp: number,
    readonly format: QuantityFormat,
  ) {}

  static fromDec(unscaled: bigint | number, exp: number, format: QuantityFormat): Quantity {
    return new Quantity(BigInt(unscaled), exp, format);
  }

  /** resource.ParseQuantity; throws QuantityError with its messages. */
  static parse(str: string): Quantity {
    if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI');
    const { positive, num, denom, suffix } = splitQuantity(str);
    const sfx = interpretSuffix(suffix);
    if (!sfx) throw new QuantityError(ERR_SUFFIX);
    let unscaled = BigInt(num + denom);
    let exp = -denom.length;
    if (sfx.base === 10) exp += sfx.exp;
    else unscaled *= 1n << BigInt(sfx.exp);
    let format = sfx.format;
    // Round non-zero values up (away from zero) to 1n.
    if (unscaled !== 0n && exp < -9) {
      const d = pow10(-9 - exp);
      unscaled = (unscaled + d - 1n) / d;
      exp = -9;
    }
    const q = new Quantity(unscaled, exp, format);
    if (format === 'BinarySI' && q.cmpBig(MAX_ALLOWED, 0) > 0) {
      unscaled = MAX_ALLOWED;
      exp = 0;
    }
    if (format === 'BinarySI' && new Quantity(unscaled, exp, format).cmpBig(1n, 0) < 0 && unscaled > 0n) format = 'DecimalSI';
    return new Quantity(positive ? unscaled : -unscaled, exp, format);
  }

  /** Parses, or undefined when the text is not a quantity. */
  static tryParse(str: string): Quantity | undefined {
    try {
      return Quantity.parse(str);
    } catch {
      return undefined;
    }
  }

  private cmpBig(u: bigint, e: number): number {
    const m = Math.min(this.exp, e);
    const a = this.unscaled * pow10(this.exp - m);
    const b = u * pow10(e - m);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** -1, 0, 1 like Quantity.Cmp. */
  cmp(other: Quantity): number {
    return this.cmpBig(other.unscaled, other.exp);
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  /** The value as a float (approximate). */
  toNumber(): number {
    return Number(this.unscaled) * 10 ** this.exp;
  }

  /** The canonical string (Quantity.String). */
  toString(): string {
    if (this.unscaled === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      if (this.cmpBig(-1024n, 0) > 0 && this.cmpBig(1024n, 0) < 0) format = 'DecimalSI';
      else {
        const int = this.integerValue();
        if (int === undefined) format = 'DecimalSI';
        else {
          let n = int;
          let k = 0;
          while (n % 1024n === 0n && n !== 0n) {
            n /= 1024n;
            k++;
          }
          if (k < BIN_BY_POW.length) return `${n}${BIN_BY_POW[k]}`;
          format = 'DecimalExponent';
        }
      }
    }
    let u = this.unscaled;
    let e = this.exp;
    while (u % 10n === 0n) {
      u /= 10n;
      e++;
    }
    const r = ((e % 3) + 3) % 3;
    if (r === 1) {
      u *= 10n;
      e -= 1;
    } else if (r === 2) {
      u *= 100n;
      e -= 2;
    }
    if (format === 'DecimalSI') {
      const s = DEC_BY_EXP.get(e);
      if (s !== undefined) return `${u}${s}`;
    }
    return e === 0 ? `${u}` : `${u}e${e}`;
  }

  /** The exact integer value, or undefined when it has a fraction. */
  private integerValue(): bigint | undefined {
    if (this.exp >= 0) return this.unscaled * pow10(this.exp);
    const d = pow10(-this.exp);
    return this.unscaled % d === 0n ? this.unscaled / d : undefined;
  }

  /** The exact sum (Quantity.Add); the receiver's format is kept, as Go's. */
  add(other: Quantity): Quantity {
    const e = Math.min(this.exp, other.exp);
    const u = this.unscaled * pow10(this.exp - e) + other.unscaled * pow10(other.exp - e);
    return new Quantity(u, e, this.unscaled === 0n ? other.format : this.format);
  }

  /** Value rounded up to an integer (Quantity.Value). */
  value(): bigint {
    if (this.exp >= 0) return this.unscaled * pow10(this.exp);
    const d = pow10(-this.exp);
    const q = this.unscaled / d;
    return this.unscaled % d === 0n || this.unscaled < 0n ? q : q + 1n;
  }

  /** Value × 1000 rounded up (Quantity.MilliValue). */
  milliValue(): bigint {
    return new Quantity(this.unscaled, this.exp + 3, this.format).value();
  }
}

export function parseQuantity(s: string): Quantity {
  return Quantity.parse(s);
}

