/**
 * Bit sets over the store's entries or over work ids: bit i & 31 of word i >>> 5. Shared by the
 * full-text terms (text.ts) and the cited works of a selection (cited-works.ts).
 */

/** The members of a bit set, ascending. */
export function membersOf(set: Uint32Array): Uint32Array {
  let size = 0;
  for (let w = 0; w < set.length; w++) size += popcount(set[w]!);
  const out = new Uint32Array(size);
  let k = 0;
  for (let w = 0; w < set.length; w++) {
    let word = set[w]!;
    while (word !== 0) {
      const low = word & -word;
      out[k++] = (w << 5) + 31 - Math.clz32(low);
      word ^= low;
    }
  }
  return out;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
