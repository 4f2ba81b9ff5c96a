// `curvad datasets` end to end (issue 12, defects 2, 3 and 10): the built CLI in a child process,
// against fixture data and HTTP servers on 127.0.0.1 only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATASET_SOURCES, encodeIdxUint8 } from '@curvad/datasets';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, runCurvad } from './run-curvad';

const root = mkdtempSync(join(tmpdir(), 'curvad-cli-datasets-'));
/** Child processes see only this fixture data and an empty cache (plus /usr/share/datasets). */
const dataEnv = { CURVAD_DATA: join(root, 'data'), XDG_CACHE_HOME: join(root, 'cache') };
const hasStack = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

/** A whole, valid IDX dataset (two 2x2 images per split) in `dir`. */
function writeIdxDataset(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const prefix of ['train', 't10k']) {
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), encodeIdxUint8([2, 2, 2], new Uint8Array(8).fill(9)));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdxUint8([2], new Uint8Array([1, 2])));
  }
}

/** A server answering every GET with a few bytes (never the official file), counting requests. */
let server: Server;
let serverUrl = '';
let requests = 0;

beforeAll(async () => {
  buildCli();
  writeIdxDataset(join(dataEnv.CURVAD_DATA, 'fashion-mnist'));
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-length': 3 });
    res.end('abc');
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  rmSync(root, { recursive: true, force: true });
});

describe('curvad datasets fetch', () => {
  test('an installed dataset is not downloaded again (exit 0); --force downloads it', async () => {
    const before = requests;
    const installed = await runCurvad(['datasets', 'fetch', 'fashion-mnist', '--mirror', serverUrl], { env: dataEnv });
    expect(installed.stderr).toBe('');
    expect(installed.code).toBe(0);
    expect(installed.stdout).toBe(
      `fashion-mnist is already installed in ${join(dataEnv.CURVAD_DATA, 'fashion-mnist')} (see npx curvad datasets list); nothing to download. Pass --force to download it again.\n`,
    );
    expect(requests).toBe(before);

    const forced = await runCurvad(['datasets', 'fetch', 'fashion-mnist', '--force', '--mirror', serverUrl, '--retries', '0'], {
      env: dataEnv,
    });
    expect(requests).toBeGreaterThan(before);
    // the mirror serves 3 bytes, not the official file: the checksum refuses it and nothing is kept
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain('8d4fb7e6c68d591d4c3dfef9ec88bf0d');
    expect(hasStack(forced.stderr)).toBe(false);
  });

  test('--dir under a regular file: exit 2, one sentence naming the file and what to do', async () => {
    writeFileSync(join(root, 'a-file'), 'not a folder');
    const run = await runCurvad(['datasets', 'fetch', 'mnist', '--dir', join(root, 'a-file', 'data'), '--mirror', serverUrl], {
      env: dataEnv,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `curvad: Cannot download into ${join(root, 'a-file', 'data', 'mnist')}: ${join(root, 'a-file')} is a file, not a folder. Pass a writable folder as --dir (curvad) / root (fetchDataset).\n`,
    );
  });

  test('offline: every file to download is named with where to put it', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const run = await runCurvad(['datasets', 'fetch', 'mnist', '--dir', join(root, 'offline'), '--mirror', `http://127.0.0.1:${port}`], {
      env: dataEnv,
    });
    expect(run.code).toBe(2);
    expect(hasStack(run.stderr)).toBe(false);
    for (const f of DATASET_SOURCES.mnist.files)
      expect(run.stderr).toContain(`http://127.0.0.1:${port}/${f.file}\n    put it at ${join(root, 'offline', 'mnist', f.file)}`);
  });

  test('rejects bad timeout and retry values with the flag named', async () => {
    const run = await runCurvad(['datasets', 'fetch', 'mnist', '--idle-timeout', '0'], { env: dataEnv });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--idle-timeout must be a number of seconds above 0');
    const retries = await runCurvad(['datasets', 'fetch', 'mnist', '--retries', '-1'], { env: dataEnv });
    expect(retries.code).toBe(2);
    expect(retries.stderr).toContain('--retries must be a whole number of at least 0');
  });
});

describe('curvad datasets list', () => {
  test('a folder holding an empty file is "no, incomplete", naming the file, and fetch replaces it', async () => {
    const env = { CURVAD_DATA: join(root, 'broken'), XDG_CACHE_HOME: join(root, 'cache') };
    writeIdxDataset(join(env.CURVAD_DATA, 'mnist'));
    writeFileSync(join(env.CURVAD_DATA, 'mnist', 't10k-images-idx3-ubyte'), '');
    const list = await runCurvad(['datasets', 'list'], { env });
    expect(list.code).toBe(0);
    const empty = join(env.CURVAD_DATA, 'mnist', 't10k-images-idx3-ubyte');
    expect(list.stdout).toContain(`mnist           no      incomplete: ${empty} is empty; to replace it: npx curvad datasets fetch mnist`);
    const fetch = await runCurvad(['datasets', 'fetch', 'mnist', '--mirror', serverUrl, '--retries', '0'], { env });
    expect(fetch.stderr).toContain(
      `mnist: incomplete: ${empty} is empty; downloading and extracting it again.\nNote: the readers search ${join(env.CURVAD_DATA, 'mnist')} before ${join(env.XDG_CACHE_HOME, 'curvad', 'mnist')}`,
    );
  });
});
