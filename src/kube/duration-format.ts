/** "3m0s"-style rendering of a millisecond duration for messages ("no limit" for 0). */
export function formatGoDurationShort(ms: number): string {
  if (!(ms > 0) || !Number.isFinite(ms)) return 'no limit';
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return ms < 1000 ? `${ms}ms` : `${s}s`;
}
