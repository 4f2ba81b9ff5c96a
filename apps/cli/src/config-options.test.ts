import { InvalidArgumentError } from 'commander';
import { describe, expect, test } from 'vitest';
import type { OodConfig } from '@curvad/experiments';
import { resumeCommand, runCommand } from './commands/experiment-ood';
import { collectSet, configArgs, runFolderName } from './config-options';

describe('config options of experiment ood', () => {
  test('--set collects every override in order; one without key=value is refused with an example', () => {
    expect(collectSet('epochs=2', undefined)).toEqual(['epochs=2']);
    expect(collectSet('models=["HiO"]', ['epochs=2'])).toEqual(['epochs=2', 'models=["HiO"]']);
    for (const bad of ['epochs', '=2', '']) {
      expect(() => collectSet(bad, undefined)).toThrow(InvalidArgumentError);
      expect(() => collectSet(bad, undefined)).toThrow('--set takes key.path=value, e.g. --set optimizer.learningRate=0.01 or --set configurations.0.ood.1.count=500.');
    }
  });

  test('the hint commands carry --config and every --set, so --resume resolves the same config', () => {
    const options = { preset: 'fmnist-mnist', config: 'my run.yaml', set: ['models=["baseline","HiO"]', 'epochs=2'], quick: true, backend: 'auto' as const };
    expect(configArgs(options)).toEqual(['--preset', 'fmnist-mnist', '--config', 'my run.yaml', '--quick', '--set', 'models=["baseline","HiO"]', '--set', 'epochs=2']);
    expect(resumeCommand(options, 'results/x')).toBe(
      `npx curvad experiment ood --preset fmnist-mnist --config 'my run.yaml' --quick --set 'models=["baseline","HiO"]' --set epochs=2 --resume --out results/x`,
    );
    expect(runCommand({ config: 'run.json', backend: 'cpu' }, 'out', false)).toBe('npx curvad experiment ood --config run.json --backend cpu --out out');
  });

  test('the default results folder: the preset (+ -quick), or a file-only config\'s name made one safe folder name', () => {
    const named = (name: string) => ({ name }) as OodConfig;
    expect(runFolderName({ preset: 'fmnist-mnist', quick: true, config: 'x.json' }, named('other'))).toEqual({ name: 'fmnist-mnist', quick: true });
    expect(runFolderName({ config: 'x.json', quick: true }, named('my-run-quick'))).toEqual({ name: 'my-run-quick', quick: false });
    expect(runFolderName({ config: 'x.json' }, named('../My Run/2'))).toEqual({ name: 'My-Run-2', quick: false });
    expect(runFolderName({ config: 'x.json' }, named('..'))).toEqual({ name: 'experiment', quick: false });
  });
});
