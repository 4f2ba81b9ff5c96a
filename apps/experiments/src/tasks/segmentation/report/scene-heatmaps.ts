// The data of report.html's scene heatmaps: for the first completed trial, a few test scenes with
// their ground-truth anomaly mask and every row's per-pixel anomaly scores, from the raw score files
// (scores/) and the test scenes the config defines.
//
// Why score i is pixel i of scene floor(i / (h * w)): scorePixels (score/score-model.ts) scores the
// test scenes in order, a batch of scenes at a time, and writes each batch's pixel rows at
// start * h * w in (scene, row, column) order (pixelRows in model/build-model.ts); run-unit.ts
// saves each row's maps as the one set SCORE_MAPS_SET. The test scenes are a function of the config
// alone (seeded by the experiment seed, not the trial), and loadSegmentationTestScenes gives the
// same scenes in the same order as the run's loadSegmentationData(config).test, without the training
// scenes. A file whose count disagrees with the scenes loaded is reported, not drawn.
import { auroc } from '@curvad/metrics';
import { readSavedScores, readScoreIndex, trialScoresDir } from '../../../core/artifacts/saved-scores';
import { type ScoreRange, scoreRange } from '../../../core/report/heatmap';
import type { ResultsFile } from '../../../core/results/results-file';
import type { SegmentationConfig } from '../config/segmentation-config';
import { loadSegmentationTestScenes, type SceneSplit } from '../data/load-data';
import { SCORE_MAPS_SET } from '../score/pixel-protocol';

export type LoadTestScenes = (config: SegmentationConfig) => Promise<SceneSplit>;

export interface SceneHeatmapsOptions {
  /** Scenes shown (default: the config's reportScenes). */
  scenes?: number;
  /** Where the test scenes come from (default: the task's own loader, loadSegmentationTestScenes). */
  loadTestScenes?: LoadTestScenes;
}

/** One row's scores on one scene. */
export interface MethodScene {
  method: string;
  /** The scene's per-pixel scores, row-major [h, w]. */
  scores: Float32Array;
  /** AUROC of these scores against the scene's mask (anomalous pixels positive), as the per-image protocol computes it. */
  auroc: number;
}

export interface HeatmapScene {
  /** The scene's index among the test scenes. */
  scene: number;
  /** The scene's uint8 pixels [h, w, channels]. */
  image: Uint8Array;
  /** 1 on anomalous pixels, [h, w]. */
  mask: Uint8Array;
  methods: MethodScene[];
}

export interface SceneHeatmaps {
  trial: number | null;
  /** Scene height, width and channels. */
  shape: [number, number, number];
  /** The rows drawn, in results.json's order. */
  methods: string[];
  /** Per row: the range its colours are normalized by (over the scenes shown). */
  ranges: Record<string, ScoreRange>;
  scenes: HeatmapScene[];
  /** What could not be shown and why. */
  notes: string[];
}

function holdsBothKinds(mask: Uint8Array): boolean {
  let anomalous = 0;
  for (const m of mask) anomalous += m ? 1 : 0;
  return anomalous > 0 && anomalous < mask.length;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The heatmap data of a segmentation run: the first `count` test scenes holding both anomalous and
 * normal pixels (those the per-image protocol evaluates), each with every saved row's scores.
 */
export async function sceneHeatmaps(
  resultsDir: string,
  results: ResultsFile,
  config: SegmentationConfig,
  options: SceneHeatmapsOptions = {},
): Promise<SceneHeatmaps> {
  const out: SceneHeatmaps = { trial: null, shape: [0, 0, 0], methods: [], ranges: {}, scenes: [], notes: [] };
  const count = options.scenes ?? config.reportScenes;
  const configuration = results.configurations[0];
  const trial = configuration?.trials.filter((t) => t.status === 'completed').sort((a, b) => a.trial - b.trial)[0];
  if (!configuration || !trial) {
    out.notes.push('No completed trial: no scene heatmaps.');
    return out;
  }
  out.trial = trial.trial;
  if (count === 0) {
    out.notes.push('reportScenes is 0: no scene heatmaps.');
    return out;
  }
  const dir = trialScoresDir(resultsDir, configuration.name, trial.trial);
  const index = await readScoreIndex(dir);
  if (index === null) {
    out.notes.push(`Trial ${trial.trial} saved no score maps (no ${dir}/index.json): no scene heatmaps.`);
    return out;
  }
  const rows = trial.methods.map((m) => m.method);
  const missing = rows.filter((m) => !index[m]);
  if (missing.length) out.notes.push(`No saved score maps for ${missing.join(', ')} in trial ${trial.trial}.`);
  const present = rows.filter((m) => index[m]);
  if (present.length === 0) return out;
  let test: SceneSplit;
  try {
    test = await (options.loadTestScenes ?? loadSegmentationTestScenes)(config);
  } catch (error) {
    out.notes.push(`The test scenes could not be loaded, so no scene heatmaps (${errorText(error)}).`);
    return out;
  }
  const [scenes, height, width, channels] = test.images.shape;
  const pixels = height * width;
  out.shape = [height, width, channels];
  const maps = new Map<string, Float32Array>();
  for (const method of present) {
    let sets: Awaited<ReturnType<typeof readSavedScores>>;
    try {
      sets = await readSavedScores(dir, method, index[method]!);
    } catch (error) {
      out.notes.push(`${method}: not shown (${errorText(error)}).`);
      continue;
    }
    const saved = sets.map((s) => `${s.set} ${s.scores.length}`).join(', ');
    if (sets.length !== 1 || sets[0]!.set !== SCORE_MAPS_SET || sets[0]!.scores.length !== scenes * pixels) {
      out.notes.push(
        `${method}: the saved scores (${saved}) are not one '${SCORE_MAPS_SET}' set of ${scenes} x ${height} x ${width} = ${scenes * pixels} pixels, the test scenes the config loads; not shown. Were the data files or the config changed since the run?`,
      );
      continue;
    }
    maps.set(method, sets[0]!.scores);
  }
  out.methods = [...maps.keys()];
  if (out.methods.length === 0) return out;
  const chosen: number[] = [];
  for (let s = 0; s < scenes && chosen.length < count; s++) {
    if (holdsBothKinds(test.masks.subarray(s * pixels, (s + 1) * pixels))) chosen.push(s);
  }
  if (chosen.length === 0) {
    out.notes.push(`None of the ${scenes} test scenes holds both anomalous and normal pixels: no scene heatmaps.`);
    return out;
  }
  const sceneScores = (method: string, s: number) => maps.get(method)!.subarray(s * pixels, (s + 1) * pixels);
  for (const method of out.methods) out.ranges[method] = scoreRange(chosen.map((s) => sceneScores(method, s)));
  const size = pixels * channels;
  out.scenes = chosen.map((s) => {
    const mask = test.masks.slice(s * pixels, (s + 1) * pixels);
    return {
      scene: s,
      image: test.images.images.slice(s * size, (s + 1) * size),
      mask,
      methods: out.methods.map((method) => {
        const scores = sceneScores(method, s).slice();
        return { method, scores, auroc: auroc(scores, mask) };
      }),
    };
  });
  return out;
}
