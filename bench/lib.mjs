// bench/lib.mjs - shared bits of the benchmarks: percentiles and the harness of the
// integration tests (one private boxtopd on loopback, torn down and checked afterwards).
export * from '../tests/integration/lib/boxtopd.mjs';

export function pct(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p99: pct(s, 99), min: s[0], max: s[s.length - 1] };
}

export const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
