// The data of report.html's defect heatmaps for one category: for its first completed trial, a few
// test images with their ground-truth defect mask and every row's anomaly map, from the raw score
// files (scores/) and the test images the config defines.
//
// Why map i is test image i: runPatchSvddUnit scores data.test.images in order and saves each row's
// maps as the one set ANOMALY_MAPS_SET, image after image, row-major (h x w each). The test images
// are a function of the config alone (seeded by the experiment seed, not the trial or model), so
// loadPatchSvddData(config, configuration) gives the run's images in the run's order. A file whose
// count disagrees with the images loaded is reported, not drawn.
import { auroc } from '@curvad/metrics';
import { readSavedScores, readScoreIndex, trialScoresDir } from '../../../core/artifacts/saved-scores';
import { type ScoreRange, scoreRange } from '../../../core/report/heatmap';
import type { ConfigurationResult } from '../../../core/results/results-file';
import type { PatchSvddConfig } from '../config/patch-svdd-config';
import { type DefectTestSet, loadPatchSvddData } from '../data/load-data';
import { ANOMALY_MAPS_SET } from '../run-unit';

export type LoadDefectTestSet = (config: PatchSvddConfig, configuration: string) => Promise<DefectTestSet>;

/** The task's own loader: the category's data as the run loaded it, its test set. */
export const loadRunTestSet: LoadDefectTestSet = async (config, configuration) => (await loadPatchSvddData(config, configuration)).test;

export interface DefectHeatmapsOptions {
  /** Test images shown per category (default: the config's reportImages). */
  images?: number;
  /** Where the test images come from (default: loadRunTestSet). */
  loadTestSet?: LoadDefectTestSet;
}

/** One row's map of one test image. */
export interface MethodMap {
  method: string;
  /** The image's anomaly map, row-major [h, w]. */
  map: Float32Array;
  /** Pixel AUROC of this map against the image's mask (defect pixels positive); null for an image without defect pixels or a map with non-finite scores. */
  auroc: number | null;
  /** How many of the map's scores are NaN or infinite (drawn at the ends of the colour map; they have no AUROC). */
  nonFinite: number;
  /** The image's score in the image metrics: the maximum of its map. */
  max: number;
}

export interface HeatmapImage {
  /** The image's index among the category's test images. */
  index: number;
  defective: boolean;
  /** The image's uint8 pixels [h, w, channels]. */
  image: Uint8Array;
  /** 1 on defect pixels, [h, w]. */
  mask: Uint8Array;
  methods: MethodMap[];
}

export interface CategoryHeatmaps {
  configuration: string;
  trial: number | null;
  /** The category's test images, all of whose maps each range covers. */
  testImages: number;
  /** Image height, width and channels. */
  shape: [number, number, number];
  /** The rows drawn, in results.json's order. */
  methods: string[];
  /** Per row: the range its colours are normalized by (over its maps of every test image of the category). */
  ranges: Record<string, ScoreRange>;
  images: HeatmapImage[];
  /** What could not be shown and why. */
  notes: string[];
}

/** The test images shown: the defective ones first, then the defect-free ones, each in index order; at most `count`. */
export function reportImageOrder(defective: ArrayLike<number>, count: number): number[] {
  const indices = Array.from({ length: defective.length }, (_, i) => i);
  return [...indices.filter((i) => defective[i]), ...indices.filter((i) => !defective[i])].slice(0, count);
}

function holdsBothKinds(mask: Uint8Array): boolean {
  let defects = 0;
  for (const m of mask) defects += m ? 1 : 0;
  return defects > 0 && defects < mask.length;
}

function maximum(map: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of map) if (v > max) max = v;
  return max;
}

function nonFiniteCount(map: Float32Array): number {
  let n = 0;
  for (const v of map) n += Number.isFinite(v) ? 0 : 1;
  return n;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first completed trial of a category (the lowest trial number), if any. */
function firstCompletedTrial(configuration: ConfigurationResult) {
  return configuration.trials.filter((t) => t.status === 'completed').sort((a, b) => a.trial - b.trial)[0];
}

/**
 * The heatmap data of one category of a patch-svdd run: `count` test images (defective first), each
 * with every saved row's map. Never throws for a missing or unusable file: it says so in `notes`.
 */
export async function categoryHeatmaps(
  resultsDir: string,
  configuration: ConfigurationResult,
  config: PatchSvddConfig,
  options: DefectHeatmapsOptions = {},
): Promise<CategoryHeatmaps> {
  const name = configuration.name;
  const out: CategoryHeatmaps = {
    configuration: name,
    trial: null,
    testImages: 0,
    shape: [0, 0, 0],
    methods: [],
    ranges: {},
    images: [],
    notes: [],
  };
  const trial = firstCompletedTrial(configuration);
  if (!trial) {
    out.notes.push(`${name}: no completed trial, so no heatmaps.`);
    return out;
  }
  out.trial = trial.trial;
  const dir = trialScoresDir(resultsDir, name, trial.trial);
  let index: Awaited<ReturnType<typeof readScoreIndex>>;
  try {
    index = await readScoreIndex(dir);
  } catch (error) {
    out.notes.push(`${name}: no heatmaps (${errorText(error)})`);
    return out;
  }
  if (index === null) {
    out.notes.push(
      `${name}: trial ${trial.trial} saved no anomaly maps (no ${dir}/index.json; was it run without saving scores?), so no heatmaps.`,
    );
    return out;
  }
  const rows = trial.methods.map((m) => m.method);
  const missing = rows.filter((m) => !index[m]);
  if (missing.length) out.notes.push(`${name}: no saved anomaly maps for ${missing.join(', ')} in trial ${trial.trial}.`);
  const present = rows.filter((m) => index[m]);
  if (present.length === 0) return out;
  let test: DefectTestSet;
  try {
    test = await (options.loadTestSet ?? loadRunTestSet)(config, name);
  } catch (error) {
    out.notes.push(`${name}: the test images could not be loaded, so no heatmaps (${errorText(error)}).`);
    return out;
  }
  const [images, height, width, channels] = test.images.shape;
  const pixels = height * width;
  out.testImages = images;
  out.shape = [height, width, channels];
  const chosen = reportImageOrder(test.defective, options.images ?? config.reportImages);
  // Only the chosen images' maps are kept: a category's whole file (MVTec: hundreds of 256x256 maps a row) is read once for its range.
  const kept = new Map<string, Float32Array[]>();
  for (const method of present) {
    let sets: Awaited<ReturnType<typeof readSavedScores>>;
    try {
      sets = await readSavedScores(dir, method, index[method]!);
    } catch (error) {
      out.notes.push(`${name}: ${method} not shown (${errorText(error)}).`);
      continue;
    }
    const maps = sets[0]?.scores;
    if (sets.length !== 1 || sets[0]!.set !== ANOMALY_MAPS_SET || maps?.length !== images * pixels) {
      const saved = sets.map((s) => `${s.set} ${s.scores.length}`).join(', ');
      out.notes.push(
        `${name}: ${method}'s saved scores (${saved}) are not one '${ANOMALY_MAPS_SET}' set of ${images} x ${height} x ${width} = ${images * pixels} pixels, the test images the config loads; not shown. Were the data files or the config changed since the run?`,
      );
      continue;
    }
    out.ranges[method] = scoreRange([maps]);
    kept.set(
      method,
      chosen.map((i) => maps.slice(i * pixels, (i + 1) * pixels)),
    );
  }
  out.methods = [...kept.keys()];
  if (out.methods.length === 0) return out;
  const size = pixels * channels;
  out.images = chosen.map((i, k) => {
    const mask = test.masks.slice(i * pixels, (i + 1) * pixels);
    const scored = holdsBothKinds(mask);
    return {
      index: i,
      defective: Boolean(test.defective[i]),
      image: test.images.images.slice(i * size, (i + 1) * size),
      mask,
      methods: out.methods.map((method) => {
        const map = kept.get(method)![k]!;
        // metrics' auroc refuses non-finite scores (they have no rank); the map is still drawn.
        const nonFinite = nonFiniteCount(map);
        return { method, map, auroc: scored && nonFinite === 0 ? auroc(map, mask) : null, nonFinite, max: maximum(map) };
      }),
    };
  });
  return out;
}
