/**
 * A small seeded generator (sfc32), so a corpus is the same bytes for the same seed on any
 * machine; Math.random cannot be seeded.
 */
export type Rng = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** One item, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One item, by weight: `[[item, weight], ...]`, weights need not sum to 1. */
  weighted<T>(table: WeightedTable<T>): T;
  chance(p: number): boolean;
};

export type WeightedTable<T> = { items: readonly T[]; cumulative: Float64Array; total: number };

export function weights<T>(pairs: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  const cumulative = new Float64Array(pairs.length);
  let total = 0;
  pairs.forEach(([, w], i) => {
    total += w;
    cumulative[i] = total;
  });
  return { items: pairs.map(([item]) => item), cumulative, total };
}

export function createRng(seed: number): Rng {
  // splitmix32 spreads a small integer seed over the four words of state.
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();

  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Warm-up: the first outputs of sfc32 still carry the seed's structure.
  for (let i = 0; i < 12; i++) next();

  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: ({ items, cumulative, total }) => {
      const x = next() * total;
      // Tables are short (a dozen entries): a linear scan beats a binary search here.
      for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]!) return items[i]!;
      return items[items.length - 1]!;
    },
    chance: (p) => next() < p,
  };
  return rng;
}
