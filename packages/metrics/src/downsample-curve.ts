import { describeInput } from './array-input';
import { MetricsError } from './errors';
import type { PrCurve } from './pr-curve';
import type { RocCurve } from './roc-curve';

/**
 * Before the shape-preserving pass, long curves are thinned by arc length, one point per
 * L / (factor x budget) of curve length L: a dropped point lies within that distance of a kept one,
 * far below what a plot of `budget` points can show, and the second pass then stays cheap.
 */
const PRETHIN_FACTOR = 32;
/** Curves up to this many points skip the thinning: the exact pass is cheap enough for them. */
const PRETHIN_ABOVE_POINTS = 65_536;

interface Segment {
  start: number;
  end: number;
  farthest: number;
  distance: number;
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  let t = lengthSquared > 0 ? ((px - ax) * dx + (py - ay) * dy) / lengthSquared : 0;
  t = Math.min(Math.max(t, 0), 1);
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Candidate indices: every point when short, else points spaced by at least L / (factor x budget). */
function thinByArcLength(x: Float64Array, y: Float64Array, maxPoints: number): Uint32Array {
  const n = x.length;
  if (n <= Math.max(PRETHIN_FACTOR * maxPoints, PRETHIN_ABOVE_POINTS)) return Uint32Array.from({ length: n }, (_, i) => i);
  let length = 0;
  for (let i = 1; i < n; i++) length += Math.hypot(x[i]! - x[i - 1]!, y[i]! - y[i - 1]!);
  const step = length / (PRETHIN_FACTOR * maxPoints);
  const kept: number[] = [0];
  let sinceKept = 0;
  for (let i = 1; i < n - 1; i++) {
    sinceKept += Math.hypot(x[i]! - x[i - 1]!, y[i]! - y[i - 1]!);
    if (sinceKept >= step) {
      kept.push(i);
      sinceKept = 0;
    }
  }
  kept.push(n - 1);
  return Uint32Array.from(kept);
}

function makeSegment(x: Float64Array, y: Float64Array, candidates: Uint32Array, start: number, end: number): Segment {
  const a = candidates[start]!;
  const b = candidates[end]!;
  let farthest = -1;
  let distance = 0;
  for (let c = start + 1; c < end; c++) {
    const i = candidates[c]!;
    const d = distanceToSegment(x[i]!, y[i]!, x[a]!, y[a]!, x[b]!, y[b]!);
    if (d > distance) {
      distance = d;
      farthest = c;
    }
  }
  return { start, end, farthest, distance };
}

/** Max-heap on distance. */
function heapPush(heap: Segment[], s: Segment): void {
  heap.push(s);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]!.distance >= heap[i]!.distance) break;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function heapPop(heap: Segment[]): Segment {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l]!.distance > heap[m]!.distance) m = l;
      if (r < heap.length && heap[r]!.distance > heap[m]!.distance) m = r;
      if (m === i) break;
      [heap[m], heap[i]] = [heap[i]!, heap[m]!];
      i = m;
    }
  }
  return top;
}

/**
 * Indices of at most `maxPoints` points that keep the first and last point and the shape:
 * Ramer-Douglas-Peucker with a point budget (always split the segment whose farthest point
 * deviates most), stopping early when the rest lie exactly on the kept polyline.
 */
export function simplifyPolyline(x: Float64Array, y: Float64Array, maxPoints: number): Uint32Array {
  const n = x.length;
  if (n <= maxPoints) return Uint32Array.from({ length: n }, (_, i) => i);
  const candidates = thinByArcLength(x, y, maxPoints);
  const last = candidates.length - 1;
  const keep = new Uint8Array(candidates.length);
  keep[0] = 1;
  keep[last] = 1;
  let kept = 2;
  const heap: Segment[] = [];
  heapPush(heap, makeSegment(x, y, candidates, 0, last));
  while (kept < maxPoints && heap.length > 0 && heap[0]!.distance > 0) {
    const s = heapPop(heap);
    keep[s.farthest] = 1;
    kept++;
    heapPush(heap, makeSegment(x, y, candidates, s.start, s.farthest));
    heapPush(heap, makeSegment(x, y, candidates, s.farthest, s.end));
  }
  const result = new Uint32Array(kept);
  let k = 0;
  for (let c = 0; c <= last; c++) if (keep[c]) result[k++] = candidates[c]!;
  return result;
}

function pick(values: Float64Array, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = values[indices[k]!]!;
  return out;
}

/**
 * A copy of `curve` with at most `maxPoints` points, for display. The first and last points are
 * kept and the shape is kept (see `simplifyPolyline`); the summary number (`auroc` or
 * `averagePrecision`) is the full curve's, unchanged, never recomputed from the fewer points.
 */
export function downsampleCurve<C extends RocCurve | PrCurve>(curve: C, maxPoints: number): C {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new MetricsError(
      'bad-parameter',
      `downsampleCurve: maxPoints is ${String(maxPoints)}; pass an integer >= 2 (the two end points are always kept).`,
    );
  }
  const kind = typeof curve === 'object' && curve !== null ? (curve as { kind?: unknown }).kind : undefined;
  if (kind !== 'roc' && kind !== 'pr') {
    throw new MetricsError(
      'bad-input',
      `downsampleCurve: curve is ${kind === undefined ? describeInput(curve) : `an object with kind ${String(kind)}`}; ` +
        'pass the result of rocCurve(...) or prCurve(...).',
    );
  }
  if (curve.kind === 'roc') {
    const indices = simplifyPolyline(curve.fpr, curve.tpr, maxPoints);
    const roc: RocCurve = {
      kind: 'roc',
      fpr: pick(curve.fpr, indices),
      tpr: pick(curve.tpr, indices),
      thresholds: pick(curve.thresholds, indices),
      auroc: curve.auroc,
    };
    return roc as C;
  }
  const indices = simplifyPolyline(curve.recall, curve.precision, maxPoints);
  const pr: PrCurve = {
    kind: 'pr',
    positive: curve.positive,
    recall: pick(curve.recall, indices),
    precision: pick(curve.precision, indices),
    thresholds: pick(curve.thresholds, indices),
    averagePrecision: curve.averagePrecision,
  };
  return pr as C;
}
