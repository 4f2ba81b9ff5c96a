import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../../experiment-error';
import { readConfigFile } from './config-file';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curvad-config-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function failure(path: string, label?: string): Promise<string> {
  try {
    await readConfigFile(path, label);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${path} was read without an error`);
}

describe('readConfigFile', () => {
  test('reads JSON and YAML (.yaml and .yml) into the same data', async () => {
    const expected = { epochs: 2, optimizer: { learningRate: 0.01 }, models: ['baseline', 'HiO'], embeddingDim: null };
    expect(
      await readConfigFile(
        await file(
          'a.json',
          '\uFEFF{"epochs": 2, "optimizer": {"learningRate": 1e-2}, "models": ["baseline", "HiO"], "embeddingDim": null}',
        ),
      ),
    ).toEqual(expected);
    const yaml = '# a partial config\nepochs: 2\noptimizer:\n  learningRate: 1e-2\nmodels: [baseline, HiO]\nembeddingDim: null\n';
    expect(await readConfigFile(await file('a.yaml', yaml))).toEqual(expected);
    expect(await readConfigFile(await file('a.YML', yaml))).toEqual(expected);
  });

  test('a JSON syntax error names the file, the line and the column', async () => {
    const path = await file('broken.json', '{\n  "epochs": 2,\n  "trials": 1,\n}\n');
    expect(await failure(path, 'configs/broken.json')).toBe(
      'config file configs/broken.json is not valid JSON (line 4, column 1: expected a key in double quotes, found "}"); fix the file, or write the config as YAML (configs/broken.yaml).',
    );
  });

  test('a YAML syntax error names the file, the line and the column', async () => {
    const path = await file('broken.yaml', 'epochs: 2\noptimizer:\n  learningRate: 0.01\n name: sgd\n');
    expect(await failure(path, 'broken.yaml')).toBe(
      'config file broken.yaml is not valid YAML (line 4, column 1: All mapping items must start at the same column); fix the file.',
    );
    expect(await failure(await file('tab.yaml', 'epochs: 2\n\tname: x\n'), 'tab.yaml')).toMatch(
      /\(line 2, column 1: Tabs are not allowed as indentation\)/,
    );
    expect(await failure(await file('dup.yaml', 'epochs: 2\nepochs: 3\n'))).toMatch(
      /is not valid YAML \(line 2, column 1: Map keys must be unique/,
    );
  });

  test('a missing file, a folder, an unknown extension and a file that holds no object are refused, naming the file', async () => {
    expect(await failure(join(dir, 'nope.yaml'), 'nope.yaml')).toBe(
      'config file nope.yaml does not exist; give the path of a .json or .yaml config file.',
    );
    await mkdir(join(dir, 'folder.json'));
    expect(await failure(join(dir, 'folder.json'), 'folder.json')).toMatch(/^config file folder.json is a folder; give the path/);
    expect(await failure(await file('config.toml', 'epochs = 2'), 'config.toml')).toBe(
      "config file config.toml: name it *.json, *.yaml or *.yml (the extension says how to read it), got '.toml'.",
    );
    expect(await failure(await file('list.yaml', '- epochs: 2\n'), 'list.yaml')).toBe(
      'config file list.yaml must hold one object of config fields (such as { "epochs": 2 }), but holds a list.',
    );
    expect(await failure(await file('empty.yaml', '# nothing yet\n'), 'empty.yaml')).toMatch(/but holds nothing\.$/);
    expect(await failure(await file('number.json', '3'), 'number.json')).toMatch(/but holds 3\.$/);
  });
});
