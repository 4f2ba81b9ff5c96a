import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ExperimentError } from '../../experiment-error';
import { type ResultsFile, resultsFileSchema } from './results-file';

export interface ReadResultsOptions {
  /** Refuse a file without a single completed trial (`curvad report`: there is nothing to report). */
  requireCompletedTrial?: boolean;
}

/** Folder of finished (trial, model) units beside results.json, from which `--resume` rebuilds it. */
const UNITS_FOLDER = 'units';

function resumeStep(dir: string): string {
  return `rerun the same command with --resume: the finished (trial, model) units saved under ${join(dir, UNITS_FOLDER)} are kept and results.json is rebuilt from them`;
}

type PathKey = string | number | symbol;

function childOf(value: unknown, key: PathKey): unknown {
  if (typeof key === 'symbol' || typeof value !== 'object' || value === null) return undefined;
  return (value as Record<string | number, unknown>)[key];
}

/** Names a place in results.json as a reader says it: configuration "x", trial 2, method "MSP", OOD set "MNIST". */
export function describeLocation(json: unknown, path: readonly PathKey[]): string {
  const parts: string[] = [];
  let node = json;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const parentKey = path[i - 1];
    const child = childOf(node, key);
    const name = (field: string) => childOf(child, field);
    if (parentKey === 'configurations' && typeof key === 'number') parts.push(`configuration ${JSON.stringify(name('name') ?? key)}`);
    else if (parentKey === 'trials' && typeof key === 'number') parts.push(`trial ${String(name('trial') ?? `#${key}`)}`);
    else if (parentKey === 'methods' && typeof key === 'number') parts.push(`method ${JSON.stringify(name('method') ?? key)}`);
    else if (parentKey === 'perOod') parts.push(`OOD set ${JSON.stringify(key)}`);
    else if (parentKey === 'idAccuracy') parts.push(`ID accuracy of model ${JSON.stringify(key)}`);
    else if (parentKey === 'training') parts.push(`training curve of model ${JSON.stringify(key)}`);
    else if (path[i - 2] === 'training' && typeof key === 'number') parts.push(`epoch ${String(name('epoch') ?? key)}`);
    else if ((parentKey === 'roc' || parentKey === 'histograms') && typeof key === 'number') {
      const set = name('oodSet');
      parts.push(
        `${parentKey === 'roc' ? 'ROC plot' : 'histogram'} of ${JSON.stringify(name('method') ?? key)}${typeof set === 'string' ? ` vs ${JSON.stringify(set)}` : ''}`,
      );
    } else if (
      ['configurations', 'trials', 'methods', 'perOod', 'idAccuracy', 'training', 'plots', 'roc', 'histograms'].includes(String(key))
    ) {
      // The container itself: its entries are named above.
    } else parts.push(String(key));
    node = child;
  }
  return parts.join(', ') || '(top level)';
}

function valueAt(json: unknown, path: readonly PathKey[]): unknown {
  return path.reduce<unknown>((node, key) => childOf(node, key), json);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'missing' : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

interface Problem {
  path: readonly PathKey[];
  what: string;
}

/** Checks zod cannot express field by field: plot arrays whose lengths must match. */
function plotProblems(results: ResultsFile): Problem[] {
  const problems: Problem[] = [];
  results.configurations.forEach((config, c) => {
    config.trials.forEach((trial, t) => {
      const base = ['configurations', c, 'trials', t, 'plots'] as const;
      trial.plots?.histograms.forEach((h, i) => {
        for (const [set, counts] of Object.entries(h.counts)) {
          if (counts.length !== h.edges.length - 1)
            problems.push({
              path: [...base, 'histograms', i, 'counts', set],
              what: `has ${counts.length} bins for ${h.edges.length} edges; it needs one bin fewer than edges`,
            });
        }
      });
      trial.plots?.roc.forEach((r, i) => {
        if (r.fpr.length !== r.tpr.length)
          problems.push({
            path: [...base, 'roc', i],
            what: `has ${r.fpr.length} FPR values and ${r.tpr.length} TPR values; they must pair up`,
          });
        const outside = [...r.fpr, ...r.tpr].find((v) => !(v >= 0 && v <= 1));
        if (outside !== undefined)
          problems.push({ path: [...base, 'roc', i], what: `holds the rate ${outside}, outside the allowed range [0, 1]` });
      });
    });
  });
  return problems;
}

function noCompletedTrial(path: string, results: ResultsFile): string {
  const states = results.configurations.map((config) => {
    const failed = config.trials.filter((t) => t.status === 'failed');
    const detail = failed.length
      ? `${failed.length} failed (first: trial ${failed[0]!.trial}: ${show(failed[0]!.error ?? 'unknown error')})`
      : 'no trial recorded';
    return `configuration ${JSON.stringify(config.name)}: ${detail}`;
  });
  const where = states.length ? ` (${states.join('; ')})` : ' (it lists no configuration)';
  return `${path} holds no completed trial${where}, so there is nothing to report; ${resumeStep(dirname(path))}, or fix what made the trials fail first.`;
}

/**
 * Reads and validates a results.json (what `curvad report DIR` starts from). Every refusal names the
 * place (configuration, trial, method, field), the value, what is allowed and a step that works.
 */
export async function readResultsFile(path: string, options: ReadResultsOptions = {}): Promise<ResultsFile> {
  const dir = dirname(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && existsSync(join(dir, UNITS_FOLDER))) {
      throw new ExperimentError(`no results file at ${path}, but ${join(dir, UNITS_FOLDER)} holds finished units; ${resumeStep(dir)}.`);
    }
    if (code === 'ENOENT')
      throw new ExperimentError(
        `no results file at ${path}; run an experiment first (npx curvad experiment ood --preset NAME --out DIR), then report on DIR.`,
      );
    throw new ExperimentError(`cannot read ${path} (${code ?? (error as Error).message}); check that it is a readable file.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExperimentError(`${path} is not valid JSON (${(error as Error).message}); it may have been cut short: ${resumeStep(dir)}.`);
  }
  const parsed = resultsFileSchema.safeParse(json);
  const problems: Problem[] = parsed.success
    ? plotProblems(parsed.data)
    : parsed.error.issues.map((issue) => {
        const value = valueAt(json, issue.path);
        if (issue.code === 'too_big' || issue.code === 'too_small') {
          const allowed =
            issue.path.at(-2) === 'idAccuracy' ||
            ['auroc', 'auprIn', 'auprOut', 'fpr95', 'detectionError', 'idAccuracy'].includes(String(issue.path.at(-1)));
          const range = allowed ? 'outside the allowed range [0, 1] (metrics are fractions: 0.75 means 75%)' : issue.message;
          return { path: issue.path, what: `is ${show(value)}, ${range}` };
        }
        return { path: issue.path, what: `is ${show(value)}: ${issue.message}` };
      });
  if (problems.length > 0) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new ExperimentError(
      `${path} is not a valid curvad results file: ${describeLocation(json, first.path)}: ${first.what}${more}. ` +
        `Fix the value if the file was edited by hand, or run the experiment again into a new folder (npx curvad experiment ood --out NEW_DIR).`,
    );
  }
  const results = parsed.data!;
  if (options.requireCompletedTrial && !results.configurations.some((c) => c.trials.some((t) => t.status === 'completed'))) {
    throw new ExperimentError(noCompletedTrial(path, results));
  }
  return results;
}
