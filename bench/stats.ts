/**
 * Small statistics used by the benchmarks: medians of rounds, latency quantiles, and the
 * least-squares slope of the memory checkpoints. Pure functions, no I/O.
 */

/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The `q` quantile (0..1) by linear interpolation between the closest ranks, as most
 * benchmark tools report p50 / p99. NaN when `values` is empty.
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[above] ?? low;
  return low + (high - low) * (position - below);
}

/** Least-squares line through the points: `y ≈ intercept + slope · x`. */
export interface Line {
  readonly slope: number;
  readonly intercept: number;
}

/**
 * Fits a straight line by least squares. With fewer than two distinct x values the slope
 * is 0 (there is nothing to fit).
 *
 * @example
 * ```ts
 * fitLine([[0, 1], [1, 3], [2, 5]]); // { slope: 2, intercept: 1 }
 * ```
 */
export function fitLine(points: readonly (readonly [number, number])[]): Line {
  const n = points.length;
  if (n === 0) return { slope: 0, intercept: 0 };
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (y - meanY);
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/** `12 345` style grouping for ops/s; one decimal below 100. */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return Math.round(value).toLocaleString('en-US').replaceAll(',', ' ');
  return value.toFixed(1);
}

/** `0.87×` */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

/** Milliseconds with a precision that suits their size: `0.041 ms`, `1.23 ms`, `15.2 ms`. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 1) return `${value.toFixed(3)} ms`;
  if (value < 10) return `${value.toFixed(2)} ms`;
  return `${value.toFixed(1)} ms`;
}

/** Bytes as `25.3 GB` / `1.23 MB` / `456 kB` / `78 B` (decimal units). */
export function formatBytes(value: number): string {
  const sign = value < 0 ? '-' : '';
  const size = Math.abs(value);
  if (size >= 1e9) return `${sign}${(size / 1e9).toFixed(1)} GB`;
  if (size >= 1e6) return `${sign}${(size / 1e6).toFixed(2)} MB`;
  if (size >= 1e3) return `${sign}${(size / 1e3).toFixed(1)} kB`;
  return `${sign}${size.toFixed(0)} B`;
}
