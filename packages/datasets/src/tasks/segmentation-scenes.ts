// Multi-class anomaly segmentation scenes, a StreetHazards analogue on real pixels: a square scene
// is cut into a grid of cells; each cell holds at most one object (a labelled image such as a
// Fashion-MNIST item, placed at a random offset inside the cell) or, in test scenes, an anomaly (an
// image from another dataset such as an MNIST digit). A pixel belongs to an object where the source
// pixel is brighter than `foregroundThreshold`; everything else is background (value 0).
import { DatasetError } from '../errors.js';
import { assertImageSet, type ImageSet } from '../image-set.js';
import { createRng, shuffledIndices } from '../random.js';

export interface SceneOptions {
  /** The labelled objects (e.g. Fashion-MNIST); their labels become the class ids 0..K-1. */
  objects: ImageSet;
  /** The anomalous objects (e.g. MNIST digits); needed when anomaliesPerScene > 0. */
  anomalies?: ImageSet;
  count: number;
  seed: number;
  /** Scene side in pixels (default 64). */
  sceneSize?: number;
  /** Cells per side (default 2); a cell (sceneSize / grid) must be at least as large as every source image. */
  grid?: number;
  /** Probability that a cell without an anomaly holds an object (default 0.75). */
  objectProbability?: number;
  /** Anomalies per scene, in distinct random cells (default 0: a training scene). */
  anomaliesPerScene?: number;
  /** Source pixels above this (in any channel) are object pixels (default 0: every non-black pixel). */
  foregroundThreshold?: number;
  /**
   * Background texture: each background pixel's channels are seeded uniform noise in
   * [0, backgroundNoise] (uint8 levels; default 0, a black background). It is drawn from its own
   * generator after the placements, so the objects, labels and masks are those of backgroundNoise 0.
   */
  backgroundNoise?: number;
}

export interface ScenePlacement {
  scene: number;
  kind: 'object' | 'anomaly';
  /** Index into `objects` or `anomalies`. */
  sourceIndex: number;
  /** Top-left corner in the scene. */
  y: number;
  x: number;
}

export interface SceneSet extends ImageSet {
  /** Per-pixel class ids [count, size, size]: object classes 0..K-1, `backgroundClass`, `anomalyClass`. */
  classMaps: Uint8Array;
  /** Per-pixel anomaly ground truth [count, size, size], 1 exactly on pasted anomaly pixels. */
  masks: Uint8Array;
  backgroundClass: number;
  anomalyClass: number;
  placements: ScenePlacement[];
}

const DEFAULT_SCENE_SIZE = 64;
const DEFAULT_GRID = 2;
const DEFAULT_OBJECT_PROBABILITY = 0.75;
/** Offsets the background noise's generator from the placements' (same seed, independent stream). */
const BACKGROUND_NOISE_SEED_OFFSET = 0x9e3779b9;

/**
 * Builds `count` seeded scenes. `labels` is 1 for a scene with an anomaly pixel, else 0. With
 * K object classes (the largest label + 1, or classNames.length), background is class K and the
 * anomaly class K + 1: for Fashion-MNIST, 10 classes + background (10) + anomaly (11).
 */
export function segmentationScenes(options: SceneOptions): SceneSet {
  const { objects, anomalies, count, seed } = options;
  const size = options.sceneSize ?? DEFAULT_SCENE_SIZE;
  const grid = options.grid ?? DEFAULT_GRID;
  const objectProbability = options.objectProbability ?? DEFAULT_OBJECT_PROBABILITY;
  const anomaliesPerScene = options.anomaliesPerScene ?? 0;
  const threshold = options.foregroundThreshold ?? 0;
  const backgroundNoise = options.backgroundNoise ?? 0;
  if (!Number.isInteger(backgroundNoise) || backgroundNoise < 0 || backgroundNoise > 255)
    throw new DatasetError(`segmentationScenes: backgroundNoise must be an integer uint8 level in 0..255, got ${backgroundNoise}.`);
  assertImageSet(objects, 'segmentationScenes objects');
  if (!Number.isInteger(count) || count < 0)
    throw new DatasetError(`segmentationScenes: count must be a non-negative integer, got ${count}.`);
  if (!Number.isInteger(grid) || grid < 1 || !Number.isInteger(size) || size % grid !== 0) {
    throw new DatasetError(`segmentationScenes: sceneSize ${size} must be a multiple of grid ${grid} (both positive integers).`);
  }
  if (!(objectProbability >= 0 && objectProbability <= 1))
    throw new DatasetError(`segmentationScenes: objectProbability must lie in [0, 1], got ${objectProbability}.`);
  if (!Number.isInteger(anomaliesPerScene) || anomaliesPerScene < 0 || anomaliesPerScene > grid * grid) {
    throw new DatasetError(
      `segmentationScenes: anomaliesPerScene must be an integer in 0..${grid * grid} (the cell count), got ${anomaliesPerScene}.`,
    );
  }
  const cell = size / grid;
  const [nObj, oh, ow, channels] = objects.shape;
  if (nObj === 0) throw new DatasetError('segmentationScenes: objects is empty.');
  if (oh > cell || ow > cell)
    throw new DatasetError(
      `segmentationScenes: objects are ${oh}x${ow}, larger than a ${cell}x${cell} cell; raise sceneSize or lower grid.`,
    );
  if (anomaliesPerScene > 0) {
    if (anomalies === undefined)
      throw new DatasetError('segmentationScenes: anomaliesPerScene > 0 needs an `anomalies` image set (e.g. MNIST digits).');
    assertImageSet(anomalies, 'segmentationScenes anomalies');
    const [nA, ah, aw, ac] = anomalies.shape;
    if (nA === 0) throw new DatasetError('segmentationScenes: anomalies is empty.');
    if (ac !== channels)
      throw new DatasetError(
        `segmentationScenes: anomalies have ${ac} channels, objects ${channels}; use sets with the same channel count.`,
      );
    if (ah > cell || aw > cell)
      throw new DatasetError(`segmentationScenes: anomalies are ${ah}x${aw}, larger than a ${cell}x${cell} cell.`);
  }
  let classCount = objects.classNames?.length ?? 0;
  for (const l of objects.labels) classCount = Math.max(classCount, l + 1);
  const backgroundClass = classCount;
  const anomalyClass = classCount + 1;
  if (anomalyClass > 255)
    throw new DatasetError(`segmentationScenes: ${classCount} object classes leave no uint8 id for background and anomaly.`);

  const rng = createRng(seed);
  const pixels = size * size;
  const images = new Uint8Array(count * pixels * channels);
  const classMaps = new Uint8Array(count * pixels).fill(backgroundClass);
  const masks = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  const placements: ScenePlacement[] = [];

  const paste = (scene: number, source: ImageSet, sourceIndex: number, y: number, x: number, cls: number, isAnomaly: boolean): void => {
    const [, sh, sw] = source.shape;
    const base = sourceIndex * sh * sw * channels;
    for (let r = 0; r < sh; r++) {
      for (let col = 0; col < sw; col++) {
        const s = base + (r * sw + col) * channels;
        let foreground = false;
        for (let ch = 0; ch < channels; ch++) if (source.images[s + ch]! > threshold) foreground = true;
        if (!foreground) continue;
        const p = (y + r) * size + (x + col);
        for (let ch = 0; ch < channels; ch++) images[(scene * pixels + p) * channels + ch] = source.images[s + ch]!;
        classMaps[scene * pixels + p] = cls;
        if (isAnomaly) {
          masks[scene * pixels + p] = 1;
          labels[scene] = 1;
        }
      }
    }
  };

  for (let scene = 0; scene < count; scene++) {
    const cellOrder = shuffledIndices(grid * grid, Math.floor(rng() * 2 ** 32));
    cellOrder.forEach((cellIndex, rank) => {
      const isAnomaly = rank < anomaliesPerScene;
      if (!isAnomaly && rng() >= objectProbability) return;
      const source = isAnomaly ? anomalies! : objects;
      const sourceIndex = rng.int(source.shape[0]);
      const [, sh, sw] = source.shape;
      const y = Math.floor(cellIndex / grid) * cell + rng.int(cell - sh + 1);
      const x = (cellIndex % grid) * cell + rng.int(cell - sw + 1);
      paste(scene, source, sourceIndex, y, x, isAnomaly ? anomalyClass : source.labels[sourceIndex]!, isAnomaly);
      placements.push({ scene, kind: isAnomaly ? 'anomaly' : 'object', sourceIndex, y, x });
    });
  }
  if (backgroundNoise > 0) {
    const noise = createRng((seed + BACKGROUND_NOISE_SEED_OFFSET) >>> 0);
    for (let p = 0; p < count * pixels; p++) {
      if (classMaps[p] !== backgroundClass) continue;
      for (let ch = 0; ch < channels; ch++) images[p * channels + ch] = noise.int(backgroundNoise + 1);
    }
  }
  const classNames = [...(objects.classNames ?? Array.from({ length: classCount }, (_, i) => String(i))), 'background', 'anomaly'];
  return { images, labels, shape: [count, size, size, channels], classMaps, masks, backgroundClass, anomalyClass, placements, classNames };
}
