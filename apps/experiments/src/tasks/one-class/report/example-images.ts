// The report's example images: per normal class, for a few rows of the table, the test images
// with the highest and the lowest anomaly scores of the first completed trial, from the raw score
// files (scores/) and the test split the config defines.
//
// Why score i is image i: scoreRotNet (score/score-model.ts) scores data.normalTest and then
// data.anomalousTest, each in row order (scoreInBatches walks the rows in order), and saveScores
// writes the two sets one after another ('ID' then 'other classes', with their counts in
// index.json). loadOneClassData is a function of the config alone (its subsets are seeded by the
// experiment seed, not the trial), so loading it again here gives the same rows in the same order.
// The set counts are checked against the loaded images; a mismatch is reported, not drawn.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSet } from '@curvad/datasets';
import { readSavedScores, readScoreIndex, trialScoresDir } from '../../../core/artifacts/saved-scores';
import { escapeHtml } from '../../../core/report/html-report';
import { pngDataUri } from '../../../core/report/png';
import type { ConfigurationResult, ResultsFile } from '../../../core/results/results-file';
import { configurationName, type OneClassConfig } from '../config/one-class-config';
import { loadOneClassData } from '../data/load-data';
import { classLabel, className } from './class-names';
import { extremeRows } from './extreme-scores';
import { tableVi } from './table-vi';

/** Images shown at each end (highest and lowest scores) per class and row. */
export const EXAMPLES_PER_END = 8;
/** Displayed edge of an example image in CSS pixels (28x28 digits drawn at 2x, pixelated). */
const DISPLAY_PX = 56;
/** The rows of the GiT variants (their names carry the head: 'RotNet +SiT', 'CSI +MiT (released)'). */
const GIT_ROW = /\+(SiT|HiT|MiT)\b/;

/** The test images of one normal class, in the order its units scored them. */
export interface TestImages {
  normal: ImageSet;
  anomalous: ImageSet;
}

export type LoadTestImages = (config: OneClassConfig, normalClass: number) => Promise<TestImages>;

export interface ExampleImagesOptions {
  /** The rows to show (default: exampleMethods(results)). */
  methods?: readonly string[];
  /** Images at each end (default EXAMPLES_PER_END). */
  perEnd?: number;
  /** Where the test images come from (default: the task's own loader, loadOneClassData). */
  loadTestImages?: LoadTestImages;
}

const loadFromConfig: LoadTestImages = async (config, normalClass) => {
  const data = await loadOneClassData(config, normalClass);
  return { normal: data.normalTest, anomalous: data.anomalousTest };
};

/** The plain rows of each model family (no GiT head), shown when the run has them. */
const BASELINE_ROWS = ['RotNet', 'CSI'];

/**
 * The default rows: the plain RotNet and CSI rows present (else the first row) and the GiT row
 * with the best mean AUROC over the classes (Table VI's Mean column), when there is one.
 */
export function exampleMethods(results: ResultsFile): string[] {
  const table = tableVi(results, 'auroc');
  const methods = table.rows.map((r) => r[0]!);
  const present = BASELINE_ROWS.filter((m) => methods.includes(m));
  const baselines = present.length ? present : methods.slice(0, 1);
  const meanColumn = table.header.length - 1;
  let best: { method: string; auroc: number } | null = null;
  for (const [i, method] of methods.entries()) {
    const auroc = table.values?.[i]?.[meanColumn];
    if (!GIT_ROW.test(method) || typeof auroc !== 'number') continue;
    if (best === null || auroc > best.auroc) best = { method, auroc };
  }
  return [...baselines, ...(best ? [best.method] : [])];
}

/** One shown image: its row in the scored test images, the score, and whether it is normal. */
export interface ExampleImage {
  row: number;
  score: number;
  label: number;
  normal: boolean;
  /** PNG data URI. */
  src: string;
}

export interface ExampleRow {
  method: string;
  highest: ExampleImage[];
  lowest: ExampleImage[];
}

export interface ClassExamples {
  configuration: string;
  normalClass: number;
  trial: number | null;
  rows: ExampleRow[];
  /** What could not be shown and why. */
  notes: string[];
}

function imageAt(images: TestImages, row: number, score: number, normalClass: number): ExampleImage {
  const inNormal = row < images.normal.shape[0];
  const set = inNormal ? images.normal : images.anomalous;
  const index = inNormal ? row : row - images.normal.shape[0];
  const [, height, width, channels] = set.shape;
  const size = height * width * channels;
  const label = set.labels[index]!;
  return {
    row,
    score,
    label,
    normal: label === normalClass,
    src: pngDataUri(set.images.subarray(index * size, (index + 1) * size), width, height, channels === 3 ? 3 : 1),
  };
}

/** The example images of one normal class (a configuration) from its first completed trial's saved scores. */
export async function classExamples(
  resultsDir: string,
  config: OneClassConfig,
  configuration: ConfigurationResult,
  normalClass: number,
  methods: readonly string[],
  perEnd: number,
  loadTestImages: LoadTestImages,
): Promise<ClassExamples> {
  const trial = configuration.trials.filter((t) => t.status === 'completed').sort((a, b) => a.trial - b.trial)[0];
  const out: ClassExamples = { configuration: configuration.name, normalClass, trial: trial?.trial ?? null, rows: [], notes: [] };
  if (!trial) {
    out.notes.push('No completed trial: no example images.');
    return out;
  }
  const dir = trialScoresDir(resultsDir, configuration.name, trial.trial);
  const index = await readScoreIndex(dir);
  if (index === null) {
    out.notes.push(`Trial ${trial.trial} saved no raw scores (no ${join(dir, 'index.json')}): no example images.`);
    return out;
  }
  const present = methods.filter((m) => index[m]);
  const missing = methods.filter((m) => !index[m]);
  if (missing.length) out.notes.push(`No saved scores for ${missing.join(', ')} in trial ${trial.trial}.`);
  if (present.length === 0) return out;
  let images: TestImages;
  try {
    images = await loadTestImages(config, normalClass);
  } catch (error) {
    out.notes.push(
      `The test images could not be loaded, so no example images (${error instanceof Error ? error.message : String(error)}).`,
    );
    return out;
  }
  const counts = [images.normal.shape[0], images.anomalous.shape[0]];
  for (const method of present) {
    const sets = await readSavedScores(dir, method, index[method]!);
    if (sets.length !== 2 || sets[0]!.scores.length !== counts[0] || sets[1]!.scores.length !== counts[1]) {
      out.notes.push(
        `${method}: the saved scores (${sets.map((s) => `${s.set} ${s.scores.length}`).join(', ')}) do not match the test images the config loads (${counts[0]} normal, ${counts[1]} anomalous); not shown. Were the data files changed since the run?`,
      );
      continue;
    }
    const scores = new Float32Array(counts[0]! + counts[1]!);
    scores.set(sets[0]!.scores);
    scores.set(sets[1]!.scores, counts[0]);
    const extremes = extremeRows(scores, perEnd);
    const toImage = (row: number) => imageAt(images, row, scores[row]!, normalClass);
    out.rows.push({ method, highest: extremes.highest.map(toImage), lowest: extremes.lowest.map(toImage) });
  }
  return out;
}

function formatScore(score: number): string {
  return Math.abs(score) >= 1e4 || (score !== 0 && Math.abs(score) < 1e-3) ? score.toExponential(2) : score.toPrecision(3);
}

function imagesHtml(dataset: OneClassConfig['dataset'], images: ExampleImage[]): string {
  const figures = images.map((image) => {
    const name = className(dataset, image.label);
    const kind = image.normal ? 'normal' : 'anomalous';
    const alt = `${name} (${kind}), score ${formatScore(image.score)}`;
    return `<figure class="example-image ${kind}" style="margin:0;text-align:center;font-size:.75em"><img src="${image.src}" width="${DISPLAY_PX}" height="${DISPLAY_PX}" style="image-rendering:pixelated;border:2px solid ${image.normal ? '#2e7d32' : '#c62828'}" alt="${escapeHtml(alt)}"><figcaption>${escapeHtml(name)}<br>${kind}<br>${escapeHtml(formatScore(image.score))}</figcaption></figure>`;
  });
  return `<div style="display:flex;flex-wrap:wrap;gap:6px">${figures.join('')}</div>`;
}

function classHtml(dataset: OneClassConfig['dataset'], examples: ClassExamples): string {
  const heading = `<h3>${escapeHtml(examples.configuration)}: normal class ${escapeHtml(classLabel(dataset, examples.normalClass))}${examples.trial === null ? '' : ` (trial ${examples.trial})`}</h3>`;
  const notes = examples.notes.map((n) => `<p class="missing">${escapeHtml(n)}</p>`).join('');
  const rows = examples.rows
    .map(
      (r) =>
        `<h4>${escapeHtml(r.method)}: ${r.highest.length} highest scores (most anomalous first)</h4>${imagesHtml(dataset, r.highest)}<h4>${escapeHtml(r.method)}: ${r.lowest.length} lowest scores (most normal first)</h4>${imagesHtml(dataset, r.lowest)}`,
    )
    .join('');
  return `<div class="class-examples" id="examples-${escapeHtml(examples.configuration)}">${heading}${notes}${rows}</div>`;
}

/** The body of the example-images section of a one-class run's report.html. */
export async function exampleImagesHtml(
  results: ResultsFile,
  config: OneClassConfig,
  resultsDir: string,
  options: ExampleImagesOptions = {},
): Promise<string> {
  const scoresDir = join(resultsDir, 'scores');
  if (!existsSync(scoresDir)) {
    return `<p class="missing">No example images: the run saved no raw scores (no folder ${escapeHtml(scoresDir)}; runs save them unless scores are turned off).</p>`;
  }
  const methods = options.methods ?? exampleMethods(results);
  const perEnd = options.perEnd ?? EXAMPLES_PER_END;
  const load = options.loadTestImages ?? loadFromConfig;
  const parts: string[] = [];
  for (const configuration of results.configurations) {
    const normalClass = config.normalClasses.find((c) => configurationName(c) === configuration.name);
    if (normalClass === undefined) continue;
    parts.push(classHtml(config.dataset, await classExamples(resultsDir, config, configuration, normalClass, methods, perEnd, load)));
  }
  const intro = `<p>Per normal class, the test images with the ${perEnd} highest and the ${perEnd} lowest anomaly scores of ${methods.map((m) => escapeHtml(m)).join(' and ')}, from the first completed trial's saved raw scores (scores/). Each image gives its class, whether it is normal (green frame) or anomalous (red frame), and its score (higher = more anomalous).</p>`;
  return intro + parts.join('\n');
}
