/**
 * LSD radix sort of float64 keys on their bit patterns: six passes of 11 bits over the two
 * 32-bit halves, after mapping each double to an unsigned key with the same order. On 10 million
 * keys this is roughly 1.5x faster than `Float64Array.prototype.sort` in V8, and it can carry a
 * payload (an index per key), which the native sort cannot.
 */

/** Bits per digit: 2^11 counters fit in L1 cache, and 6 digits cover 64 bits. */
const DIGIT_BITS = 11;
const RADIX = 1 << DIGIT_BITS;
const DIGIT_MASK = RADIX - 1;
/** [word (0 = low half, 1 = high half), shift] of each digit, least significant first. */
const DIGITS: ReadonlyArray<readonly [0 | 1, number]> = [
  [0, 0],
  [0, 11],
  [0, 22],
  [1, 0],
  [1, 11],
  [1, 22],
];
/** Below this length the native sort wins (the radix sort's fixed cost is 6 x 2^11 counters). */
const NATIVE_SORT_BELOW = 4096;
const SIGN_BIT = 0x80000000;

/** Positive doubles: set the sign bit; negative: flip every bit. Unsigned order = numeric order. */
function toSortableBits(words: Uint32Array, n: number): void {
  for (let k = 0; k < 2 * n; k += 2) {
    const hi = words[k + 1]!;
    if (hi & SIGN_BIT) {
      words[k + 1] = ~hi;
      words[k] = ~words[k]!;
    } else {
      words[k + 1] = (hi | SIGN_BIT) >>> 0;
    }
  }
}

function fromSortableBits(words: Uint32Array, n: number): void {
  for (let k = 0; k < 2 * n; k += 2) {
    const hi = words[k + 1]!;
    if (hi & SIGN_BIT) {
      words[k + 1] = hi & ~SIGN_BIT;
    } else {
      words[k + 1] = ~hi;
      words[k] = ~words[k]!;
    }
  }
}

function histogram(words: Uint32Array, n: number): Uint32Array {
  const counts = new Uint32Array(RADIX * DIGITS.length);
  for (let k = 0; k < 2 * n; k += 2) {
    const lo = words[k]!;
    const hi = words[k + 1]!;
    counts[lo & DIGIT_MASK]!++;
    counts[RADIX + ((lo >>> 11) & DIGIT_MASK)]!++;
    counts[2 * RADIX + (lo >>> 22)]!++;
    counts[3 * RADIX + (hi & DIGIT_MASK)]!++;
    counts[4 * RADIX + ((hi >>> 11) & DIGIT_MASK)]!++;
    counts[5 * RADIX + (hi >>> 22)]!++;
  }
  return counts;
}

/** Turns counts into start offsets; returns false when one bucket holds everything (pass is a no-op). */
function prefixSums(counts: Uint32Array, n: number): boolean {
  let sum = 0;
  for (let d = 0; d < RADIX; d++) {
    const c = counts[d]!;
    if (c === n) return false;
    counts[d] = sum;
    sum += c;
  }
  return true;
}

// One scatter loop per (word, payload) combination keeps the hot loop free of branches.
function scatterByLow(from: Uint32Array, to: Uint32Array, n: number, shift: number, offsets: Uint32Array): void {
  for (let k = 0; k < 2 * n; k += 2) {
    const lo = from[k]!;
    const j = 2 * offsets[(lo >>> shift) & DIGIT_MASK]!++;
    to[j] = lo;
    to[j + 1] = from[k + 1]!;
  }
}

function scatterByHigh(from: Uint32Array, to: Uint32Array, n: number, shift: number, offsets: Uint32Array): void {
  for (let k = 0; k < 2 * n; k += 2) {
    const hi = from[k + 1]!;
    const j = 2 * offsets[(hi >>> shift) & DIGIT_MASK]!++;
    to[j] = from[k]!;
    to[j + 1] = hi;
  }
}

function scatterByLowWithPayload(
  from: Uint32Array,
  to: Uint32Array,
  payloadFrom: Uint32Array,
  payloadTo: Uint32Array,
  n: number,
  shift: number,
  offsets: Uint32Array,
): void {
  for (let i = 0; i < n; i++) {
    const lo = from[2 * i]!;
    const j = offsets[(lo >>> shift) & DIGIT_MASK]!++;
    to[2 * j] = lo;
    to[2 * j + 1] = from[2 * i + 1]!;
    payloadTo[j] = payloadFrom[i]!;
  }
}

function scatterByHighWithPayload(
  from: Uint32Array,
  to: Uint32Array,
  payloadFrom: Uint32Array,
  payloadTo: Uint32Array,
  n: number,
  shift: number,
  offsets: Uint32Array,
): void {
  for (let i = 0; i < n; i++) {
    const hi = from[2 * i + 1]!;
    const j = offsets[(hi >>> shift) & DIGIT_MASK]!++;
    to[2 * j] = from[2 * i]!;
    to[2 * j + 1] = hi;
    payloadTo[j] = payloadFrom[i]!;
  }
}

/**
 * Sorts `keys` ascending in place. When `payload` is given (same length), it is permuted with the
 * keys, so `payload` can carry original indices. NaN is not expected (inputs are validated);
 * -0 sorts just before +0. Equal keys keep their input order (the sort is stable).
 */
export function sortFloat64(keys: Float64Array, payload?: Uint32Array): void {
  const n = keys.length;
  if (payload === undefined && n < NATIVE_SORT_BELOW) {
    keys.sort();
    return;
  }
  const original: Uint32Array = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  let from: Uint32Array = original;
  let to: Uint32Array = new Uint32Array(2 * n);
  let payloadFrom: Uint32Array | undefined = payload;
  let payloadTo: Uint32Array | undefined = payload === undefined ? undefined : new Uint32Array(n);
  toSortableBits(from, n);
  const counts = histogram(from, n);
  for (let p = 0; p < DIGITS.length; p++) {
    const offsets = counts.subarray(p * RADIX, (p + 1) * RADIX);
    if (!prefixSums(offsets, n)) continue;
    const [word, shift] = DIGITS[p]!;
    if (payloadFrom === undefined || payloadTo === undefined) {
      if (word === 0) scatterByLow(from, to, n, shift, offsets);
      else scatterByHigh(from, to, n, shift, offsets);
    } else {
      if (word === 0) scatterByLowWithPayload(from, to, payloadFrom, payloadTo, n, shift, offsets);
      else scatterByHighWithPayload(from, to, payloadFrom, payloadTo, n, shift, offsets);
      [payloadFrom, payloadTo] = [payloadTo, payloadFrom];
    }
    [from, to] = [to, from];
  }
  fromSortableBits(from, n);
  if (from !== original) original.set(from);
  if (payload !== undefined && payloadFrom !== payload) payload.set(payloadFrom!);
}

/** 32-bit keys: digits of 11, 11 and 10 bits. */
const FLOAT32_SHIFTS = [0, 11, 22] as const;

function scatter32(from: Uint32Array, to: Uint32Array, shift: number, offsets: Uint32Array): void {
  for (let k = 0; k < from.length; k++) {
    const key = from[k]!;
    to[offsets[(key >>> shift) & DIGIT_MASK]!++] = key;
  }
}

/**
 * Sorts ascending, in place, a Float64Array whose values are all exactly representable as float32
 * (as scores from a Float32Array or a tfjs tensor are): the keys are sorted as 32-bit patterns,
 * three passes over 4-byte keys instead of six over 8-byte ones. The caller guarantees the
 * float32 exactness; otherwise use `sortFloat64`.
 */
export function sortFloat32Valued(keys: Float64Array): void {
  const n = keys.length;
  if (n < NATIVE_SORT_BELOW) {
    keys.sort();
    return;
  }
  const narrow = new Float32Array(keys);
  let from: Uint32Array = new Uint32Array(narrow.buffer);
  let to: Uint32Array = new Uint32Array(n);
  const counts = new Uint32Array(RADIX * FLOAT32_SHIFTS.length);
  for (let k = 0; k < n; k++) {
    const bits = from[k]!;
    const key = (bits & SIGN_BIT ? ~bits : bits | SIGN_BIT) >>> 0;
    from[k] = key;
    counts[key & DIGIT_MASK]!++;
    counts[RADIX + ((key >>> 11) & DIGIT_MASK)]!++;
    counts[2 * RADIX + (key >>> 22)]!++;
  }
  for (let p = 0; p < FLOAT32_SHIFTS.length; p++) {
    const offsets = counts.subarray(p * RADIX, (p + 1) * RADIX);
    if (!prefixSums(offsets, n)) continue;
    scatter32(from, to, FLOAT32_SHIFTS[p]!, offsets);
    [from, to] = [to, from];
  }
  for (let k = 0; k < n; k++) {
    const key = from[k]!;
    from[k] = key & SIGN_BIT ? key & ~SIGN_BIT : ~key;
  }
  keys.set(new Float32Array(from.buffer, from.byteOffset, n));
}
