import { join, resolve } from 'node:path';
import {
  DATA_ENV_VAR,
  DATASET_SOURCES,
  type DatasetName,
  type DatasetSource,
  type DownloadProgress,
  dataSearchDirs,
  fetchDataset,
  listFetchableDatasets,
  userCacheDir,
} from '@curvad/datasets';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { CLI_INVOCATION } from '../cli-invocation';
import { type CliIo, writeLine } from '../cli-io';
import { downloadOptions, type FetchFlags, nonNegativeInteger, positiveSeconds } from '../datasets/fetch-flags';
import { type LocalStatus, localStatus } from '../datasets/local-status';
import { shadowedDownloadNote } from '../datasets/shadowed-download';
import { displayPath } from '../display-path';
import { EXIT_CODES } from '../exit-codes';
import { formatDuration } from '../progress/format-duration';

/** Seconds between two plain download lines when stderr is not a terminal. */
const PLAIN_FETCH_INTERVAL_MS = 10_000;
const MIB = 1024 * 1024;

const LIST_EXAMPLES = `
Examples:
  $ ${CLI_INVOCATION} datasets list
  $ CURVAD_DATA=/data ${CLI_INVOCATION} datasets list
  $ ${CLI_INVOCATION} datasets list --json

A dataset is looked for in $${DATA_ENV_VAR}/<name>, $${DATA_ENV_VAR}, ~/.cache/curvad/<name> and
/usr/share/datasets/<name> (Debian's dataset-fashion-mnist installs there), as the readers do.`;

const FETCH_EXAMPLES = `
Examples:
  $ ${CLI_INVOCATION} datasets fetch fashion-mnist
  $ ${CLI_INVOCATION} datasets fetch cifar-10 --dir /data      (then: export ${DATA_ENV_VAR}=/data)
  $ ${CLI_INVOCATION} datasets fetch iSUN --allow-unverified   (no checksum is published for it)
  $ ${CLI_INVOCATION} datasets fetch mnist --force             (download again though it is installed)
  $ ${CLI_INVOCATION} datasets fetch cifar-10 --idle-timeout 300 --retries 5

A dataset that \`${CLI_INVOCATION} datasets list\` shows as installed is not downloaded again (without --dir;
--force overrides). Files are checked against their published checksums and written atomically;
files already present are not downloaded again. An attempt that gets no answer for
--connect-timeout seconds (default 30) or no data for --idle-timeout seconds (default 60) is
retried --retries times (default 3); a retry, or the next fetch after Ctrl-C, resumes the partial
file <file>.part where the server allows it. Offline, the message names every file to download
and where to put it.`;

export interface DatasetRow {
  name: DatasetName;
  state: LocalStatus['state'];
  detail: string;
  /** How to get it when it is not (fully) here. */
  get: string;
  searched: string[];
}

function needsUnverified(source: DatasetSource): boolean {
  return source.files.some((f) => f.checksum === undefined);
}

function fetchCommandFor(name: DatasetName): string {
  const source: DatasetSource = DATASET_SOURCES[name];
  return `${CLI_INVOCATION} datasets fetch ${name}${needsUnverified(source) ? ' --allow-unverified' : ''}`;
}

export function datasetRows(): DatasetRow[] {
  return listFetchableDatasets().map((name) => {
    const status = localStatus(name);
    return { name, state: status.state, detail: status.detail, get: fetchCommandFor(name), searched: dataSearchDirs(name) };
  });
}

function formatRows(rows: DatasetRow[], io: CliIo): string[] {
  const width = Math.max(...rows.map((r) => r.name.length)) + 2;
  const label = { found: 'yes', partial: 'partly', missing: 'no', incomplete: 'no' } as const;
  const lines = [`${'Dataset'.padEnd(width)}${'Local'.padEnd(8)}Where / how to get it`];
  for (const row of rows) {
    const where =
      row.state === 'found'
        ? displayPath(io.cwd, row.detail)
        : row.state === 'partial'
          ? `${row.detail}; all of it: ${row.get}`
          : row.state === 'incomplete'
            ? `${row.detail}; to replace it: ${row.get}`
            : row.get;
    lines.push(`${row.name.padEnd(width)}${label[row.state].padEnd(8)}${where}`);
  }
  return lines;
}

export function registerDatasetsCommands(program: Command, context: CliContext): void {
  const datasets = program
    .command('datasets')
    .description('list the datasets curvad knows and whether they are on this machine; fetch them')
    .addHelpText('after', `\nExamples:\n  $ ${CLI_INVOCATION} datasets list\n  $ ${CLI_INVOCATION} datasets fetch fashion-mnist`);

  datasets
    .command('list')
    .description('list the known datasets and whether each is found locally')
    .option('--json', 'print JSON (name, state, detail, get, searched) instead of a table')
    .addHelpText('after', LIST_EXAMPLES)
    .action((options: { json?: boolean }) => {
      const rows = datasetRows();
      if (options.json) writeLine(context.io.stdout, JSON.stringify(rows, null, 2));
      else for (const line of formatRows(rows, context.io)) writeLine(context.io.stdout, line);
      context.exitCode = EXIT_CODES.ok;
    });

  datasets
    .command('fetch')
    .description('download a dataset from its official URLs into the cache the readers search, verifying checksums')
    .argument('<name>', `one of: ${listFetchableDatasets().join(', ')}`)
    .option('--dir <dir>', `cache root to download into (default ${displayPath(context.io.cwd, userCacheDir())}; the readers search it)`)
    .option('--allow-unverified', 'also download files for which no checksum is published (iSUN, tiny-imagenet)')
    .option('--mirror <url>', 'a mirror holding the same file names, used instead of the official hosts')
    .option('--force', 'download (and extract) again, even when the dataset is installed')
    .option(
      '--connect-timeout <seconds>',
      'per attempt: give up when the server has not answered after this long (default 30)',
      positiveSeconds('--connect-timeout'),
    )
    .option(
      '--idle-timeout <seconds>',
      'per attempt: give up when no data arrived for this long (default 60)',
      positiveSeconds('--idle-timeout'),
    )
    .option(
      '--retries <n>',
      'further attempts per file after a timeout or a dropped connection (default 3)',
      nonNegativeInteger('--retries'),
    )
    .addHelpText('after', FETCH_EXAMPLES)
    .action(async (name: string, options: FetchFlags) => {
      context.exitCode = await runFetch(name, options, context);
    });
}

/** Progress lines for a log: one per file at start, then one every PLAIN_FETCH_INTERVAL_MS. */
function plainProgress(io: CliIo): (p: DownloadProgress) => void {
  let last = 0;
  let file = '';
  return (p) => {
    const now = io.now();
    if (p.file === file && now - last < PLAIN_FETCH_INTERVAL_MS) return;
    file = p.file;
    last = now;
    const total = p.totalBytes ? ` of ${(p.totalBytes / MIB).toFixed(1)} MiB` : '';
    writeLine(io.stderr, `${p.file}: ${(p.receivedBytes / MIB).toFixed(1)} MiB${total}`);
  };
}

export async function runFetch(name: string, options: FetchFlags, context: CliContext) {
  const { io } = context;
  const known = listFetchableDatasets() as string[];
  if (!known.includes(name)) {
    throw new CliError(
      `unknown dataset '${name}'. Choose one of: ${known.join(', ')} (${CLI_INVOCATION} datasets list shows which are here).`,
    );
  }
  const root = options.dir === undefined ? undefined : resolve(io.cwd, options.dir);
  // Without --dir the question is "can the readers find it?", which is what `datasets list` answers.
  // With --dir the user asked for a copy there; files already in it are skipped file by file.
  let force = options.force === true;
  if (root === undefined && !force) {
    const status = localStatus(name as DatasetName);
    if (status.state === 'found') {
      writeLine(
        io.stdout,
        `${name} is already installed in ${displayPath(io.cwd, status.detail)} (see ${CLI_INVOCATION} datasets list); nothing to download. Pass --force to download it again.`,
      );
      return EXIT_CODES.ok;
    }
    if (status.state === 'incomplete') {
      writeLine(io.stderr, `${name}: ${status.detail}; downloading and extracting it again.`);
      const note = shadowedDownloadNote(status, join(userCacheDir(), DATASET_SOURCES[name as DatasetName].folder));
      if (note !== undefined) writeLine(io.stderr, note);
      force = true;
    }
  }
  const started = io.now();
  const result = await fetchDataset(name as DatasetName, {
    ...(root !== undefined ? { root } : {}),
    ...(options.allowUnverified ? { allowUnverified: true } : {}),
    ...(options.mirror !== undefined ? { mirror: options.mirror } : {}),
    ...(force ? { force: true } : {}),
    ...downloadOptions(options),
    // On a terminal the library draws its own progress bar.
    ...(io.interactive ? {} : { onProgress: plainProgress(io) }),
    log: (line) => writeLine(io.stderr, line),
  });
  const cached = result.files.filter((f) => f.cached).length;
  const bytes = result.files.reduce((sum, f) => sum + f.bytes, 0);
  writeLine(
    io.stdout,
    `${name}: ${result.files.length} file(s), ${(bytes / MIB).toFixed(1)} MiB in ${displayPath(io.cwd, result.dir)}` +
      `${cached > 0 ? ` (${cached} already there)` : ''}, ${formatDuration((io.now() - started) / 1000)}.`,
  );
  if (root !== undefined && resolve(root) !== resolve(userCacheDir())) {
    writeLine(io.stdout, `The readers search ${root} when ${DATA_ENV_VAR} points to it: export ${DATA_ENV_VAR}=${root}`);
  }
  return EXIT_CODES.ok;
}
