/** Packed keys hold the position in their low 21 bits: up to 2,097,152 values sort on the fast path. */
const POSITIONS = 2 ** 21;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The indices `idx` ordered by descending score, ties kept in their given
 * order: what `Array.from(idx).sort((a, b) => scores[b] - scores[a])` returns.
 *
 * For float32 scores (what the tuners and AP see from a tensor) it sorts
 * numbers instead of calling a comparator: each score's float32 bits, made
 * order-preserving as an unsigned integer, and its position pack exactly into
 * one float64 (32 + 21 bits), and `Float64Array#sort` orders those natively,
 * 5–10× faster than a comparator sort. Other inputs take the comparator sort.
 * @internal
 */
export function descendingOrder(scores: ArrayLike<number>, idx: ArrayLike<number>): Int32Array {
  const n = idx.length;
  const out = new Int32Array(n);
  if (!(scores instanceof Float32Array) || n > POSITIONS) {
    const order = Array.from(idx).sort((a, b) => scores[b]! - scores[a]!);
    out.set(order);
    return out;
  }
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    f32[0] = scores[idx[k]!]! + 0; // −0 sorts as +0, as the comparator sees them
    const bits = u32[0]!;
    const ascending = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
    keys[k] = (0xffffffff - ascending) * POSITIONS + k;
  }
  keys.sort();
  for (let k = 0; k < n; k++) out[k] = idx[keys[k]! % POSITIONS]!;
  return out;
}
