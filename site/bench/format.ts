/**
 * format.ts: numbers as the benchmark page prints them: ops/s, durations from nanoseconds,
 * bytes, ratios. Short forms, so a value fits beside its bar on a phone.
 */

/** 1234567 -> "1.23M", 48213 -> "48.2k", 812 -> "812", 0.0163 -> "0.016". */
export function formatCount(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${trim(n / 1e9)}G`;
  if (a >= 1e6) return `${trim(n / 1e6)}M`;
  if (a >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

/** Three significant digits without trailing zeros (1.50 -> "1.5", 0.01628 -> "0.0163"). */
export function trim(n: number): string {
  if (n === 0) return '0';
  if (Math.abs(n) >= 100) return String(Math.round(n));
  return String(Number(n.toPrecision(3)));
}

/** A duration in nanoseconds: "420 ns", "15.2 µs", "3.1 ms", "1.2 s". */
export function formatNs(ns: number): string {
  if (ns < 1e3) return `${trim(ns)} ns`;
  if (ns < 1e6) return `${trim(ns / 1e3)} µs`;
  if (ns < 1e9) return `${trim(ns / 1e6)} ms`;
  return `${trim(ns / 1e9)} s`;
}

/** A duration in milliseconds (openMs, syncMs). */
export function formatMs(ms: number): string {
  return formatNs(ms * 1e6);
}

/** Bytes in binary units: "512 B", "4 KiB", "183 MiB". */
export function formatBytes(b: number): string {
  if (b < 1024) return `${trim(b)} B`;
  if (b < 1024 ** 2) return `${trim(b / 1024)} KiB`;
  if (b < 1024 ** 3) return `${trim(b / 1024 ** 2)} MiB`;
  return `${trim(b / 1024 ** 3)} GiB`;
}

/** A ratio: "0.51×". */
export function formatRatio(x: number): string {
  return `${trim(x)}×`;
}
