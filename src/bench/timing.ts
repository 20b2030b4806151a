/** Median and 95th percentile of a sample of durations (ms), with the number of runs. */
export type Timing = { runs: number; median: number; p95: number };

export function summarizeTimes(xs: number[]): Timing {
  const s = [...xs].sort((a, b) => a - b);
  // Nearest-rank percentile: with few runs p95 is honestly the slowest run, never interpolated down.
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? Number.NaN;
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { runs: s.length, median, p95: at(0.95) };
}

export type Budget = { minRuns: number; maxRuns: number; budgetMs: number };

/**
 * Runs a query and its raw-SQL floor alternately (q, f, q, f, ...), so background noise on a
 * shared machine hits both alike; one untimed warm-up each first. Stops after maxRuns, or after
 * budgetMs once minRuns are in.
 */
export async function sideBySide(
  query: () => unknown,
  floor: (() => unknown) | null,
  { minRuns, maxRuns, budgetMs }: Budget,
): Promise<{ query: Timing; floor: Timing | null }> {
  await query();
  if (floor) await floor();
  const q: number[] = [];
  const f: number[] = [];
  const started = performance.now();
  for (let i = 0; i < maxRuns; i++) {
    let t = performance.now();
    await query();
    q.push(performance.now() - t);
    if (floor) {
      t = performance.now();
      await floor();
      f.push(performance.now() - t);
    }
    if (i + 1 >= minRuns && performance.now() - started > budgetMs) break;
  }
  return { query: summarizeTimes(q), floor: floor ? summarizeTimes(f) : null };
}
