import type { DataFile, ResultsFile } from '../results/results-file';

/** A label and its text; `note` marks a value the run did not record. */
export interface Fact {
  label: string;
  value: string;
  note?: boolean;
}

export const NOT_RECORDED = 'not recorded in this run';
/** Characters of a SHA-256 shown in the report (the full hash stays in results.json). */
const SHORT_SHA = 12;

/** A `--quick` smoke run: flagged in results.json, or (older files) named `<preset>-quick`. */
export function isQuickRun(results: ResultsFile): boolean {
  return results.quick === true || results.experiment.endsWith('-quick');
}

/**
 * The backend's short name and the sentence that says why it was chosen. Older files hold the
 * whole runtime log line in `backend` ("@curvad/runtime: using backend 'wasm' (...); skipped ..."):
 * the name is read out of it and the sentence becomes the detail.
 */
export function backendFacts(results: ResultsFile): { name: string; detail: string | null } {
  const logged = /using backend '([^']+)'/.exec(results.backend);
  if (logged) return { name: logged[1]!, detail: results.backendDetail ?? results.backend.replace(/^@curvad\/runtime:\s*/, '') };
  return { name: results.backend, detail: results.backendDetail ?? null };
}

function list(values: readonly (string | number)[]): string {
  return values.join(', ');
}

/** A task's reading of a recorded config as label/value rows; null when the config is not one it reads. */
export type ConfigFacts = (config: unknown) => Fact[] | null;

/**
 * The resolved experiment config as label/value rows (`configFacts`: the task's reading). A config
 * no task of this version reads (an older schema) is shown as its JSON instead, so nothing is hidden.
 */
export function resolvedConfigFacts(results: ResultsFile, configFacts: ConfigFacts = () => null): { facts: Fact[]; json: string } {
  const json = JSON.stringify(results.config, null, 2) ?? 'null';
  const facts = configFacts(results.config);
  if (facts === null)
    return { facts: [{ label: 'Config', value: 'not an experiment config this version reads: see the JSON below', note: true }], json };
  return { facts, json };
}

function minutes(seconds: number): string {
  return seconds >= 90 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(1)} s`;
}

/** Who ran what, where and when: everything needed to rerun or compare the run. */
export function provenanceFacts(results: ResultsFile): Fact[] {
  const backend = backendFacts(results);
  return [
    { label: 'Experiment', value: results.experiment + (results.preset ? ` (preset ${results.preset})` : '') },
    { label: 'Command', value: results.command },
    { label: 'Seeds', value: list(results.seeds) },
    { label: 'Backend', value: backend.name },
    { label: 'Backend detail', value: backend.detail ?? NOT_RECORDED, note: backend.detail === null },
    {
      label: 'Versions',
      value: Object.entries(results.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    },
    { label: 'Git commit', value: results.gitCommit ?? NOT_RECORDED, note: results.gitCommit === null },
    { label: 'Started', value: results.startedAt },
    { label: 'Updated', value: results.updatedAt },
    { label: 'Wall time', value: minutes(results.wallTimeSec) },
    { label: 'Complete', value: results.complete ? 'yes' : 'no (interrupted: rerun the same command with --resume to finish it)' },
  ];
}

export interface DataFileRow {
  configuration: string;
  part: string;
  path: string;
  bytes: string;
  sha256: string;
}

/** The data files read, with a short SHA-256; null when the run did not record them. */
export function dataFileRows(files: DataFile[] | undefined): DataFileRow[] | null {
  if (!files) return null;
  return files.map((f) => ({
    configuration: f.configuration,
    part: f.part,
    path: f.path,
    bytes: f.bytes.toLocaleString('en-US'),
    sha256: f.sha256.slice(0, SHORT_SHA),
  }));
}
