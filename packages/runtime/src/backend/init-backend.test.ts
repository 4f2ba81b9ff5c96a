import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { CurvadRuntimeError } from '../errors';
import { WASM_TRAINING_KERNELS } from '../wasm/register-wasm-kernels';
import { isPackageNotInstalled } from './backend-loaders';
import { initBackend } from './init-backend';

function notInstalled(name: string): () => Promise<never> {
  return async () => {
    throw Object.assign(new Error(`Cannot find package '${name}' imported from /app/index.js`), { code: 'ERR_MODULE_NOT_FOUND' });
  };
}

/** Simulates an installed tfjs-node: registers a 'tensorflow' backend (a cpu backend in disguise). */
async function fakeTfjsNode(): Promise<unknown> {
  tf.registerBackend('tensorflow', () => new MathBackendCPU(), 0);
  return {};
}

afterEach(async () => {
  if (tf.findBackendFactory('tensorflow') !== null) tf.removeBackend('tensorflow');
  await tf.setBackend('cpu');
});

describe('initBackend', () => {
  it('auto picks wasm in this workspace and says the node packages are not installed', async () => {
    const lines: string[] = [];
    const choice = await initBackend({ log: (line) => lines.push(line) });
    expect(choice.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.skipped).toEqual([
      { candidate: 'tfjs-node-gpu', reason: 'not installed' },
      { candidate: 'tfjs-node', reason: 'not installed' },
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('tfjs-node-gpu: not installed');
    for (const kernel of WASM_TRAINING_KERNELS) expect(tf.getKernel(kernel, 'wasm')).toBeDefined();
  });

  it('auto picks an installed tfjs-node and reports the missing gpu package', async () => {
    const choice = await initBackend({
      log: false,
      loaders: { 'tfjs-node-gpu': notInstalled('@tensorflow/tfjs-node-gpu'), 'tfjs-node': fakeTfjsNode },
    });
    expect(choice).toMatchObject({ backend: 'tensorflow', candidate: 'tfjs-node' });
    expect(choice.skipped).toEqual([{ candidate: 'tfjs-node-gpu', reason: 'not installed' }]);
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('prefers tfjs-node-gpu when it is installed', async () => {
    const choice = await initBackend({ log: false, loaders: { 'tfjs-node-gpu': fakeTfjsNode } });
    expect(choice).toMatchObject({ backend: 'tensorflow', candidate: 'tfjs-node-gpu', skipped: [] });
  });

  it('tells a broken install (native library missing) from a missing package', async () => {
    const broken = async () => {
      throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');
    };
    const choice = await initBackend({ log: false, loaders: { 'tfjs-node-gpu': broken, 'tfjs-node': broken } });
    expect(choice.backend).toBe('wasm');
    expect(choice.skipped.map((s) => s.reason)).toEqual([
      'failed to load: libtensorflow.so.2: cannot open shared object file: No such file or directory',
      'failed to load: libtensorflow.so.2: cannot open shared object file: No such file or directory',
    ]);
  });

  it('skips a backend whose initialisation fails', async () => {
    const failing = async () => {
      tf.registerBackend('tensorflow', () => {
        throw new Error('no CUDA device');
      });
      return {};
    };
    const warn = console.warn;
    console.warn = () => {};
    try {
      const choice = await initBackend({ log: false, loaders: { 'tfjs-node-gpu': failing } });
      expect(choice.skipped[0]).toMatchObject({ candidate: 'tfjs-node-gpu' });
      expect(choice.skipped[0]!.reason).toMatch(/^failed to initialise/);
      expect(choice.backend).toBe('wasm');
    } finally {
      console.warn = warn;
    }
  });

  it("throws a CurvadRuntimeError listing the reasons when 'tensorflow' is unavailable", async () => {
    const error = await initBackend({ backend: 'tensorflow', log: false }).catch((e: unknown) => e);
    expect(CurvadRuntimeError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('tfjs-node-gpu: not installed; tfjs-node: not installed');
    expect((error as Error).message).toContain('Install @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node');
  });

  it('sets cpu when asked, and rejects unknown names', async () => {
    expect((await initBackend({ backend: 'cpu', log: false })).backend).toBe('cpu');
    await expect(initBackend({ backend: 'webgl' as never, log: false })).rejects.toThrow(/Unknown backend 'webgl'/);
  });

  it('validates wasm thread counts', async () => {
    await expect(initBackend({ backend: 'wasm', log: false, wasm: { threads: 0 } })).rejects.toThrow(/positive integer/);
  });
});

describe('isPackageNotInstalled', () => {
  it('recognises ESM and CJS messages for the package itself only', () => {
    const esm = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node' imported from /x.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const cjs = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'\nRequire stack:"), { code: 'MODULE_NOT_FOUND' });
    const dependency = Object.assign(new Error("Cannot find module 'adm-zip'"), { code: 'MODULE_NOT_FOUND' });
    expect(isPackageNotInstalled(esm, '@tensorflow/tfjs-node')).toBe(true);
    expect(isPackageNotInstalled(cjs, '@tensorflow/tfjs-node')).toBe(true);
    expect(isPackageNotInstalled(dependency, '@tensorflow/tfjs-node')).toBe(false);
    expect(isPackageNotInstalled(new Error('other'), '@tensorflow/tfjs-node')).toBe(false);
  });
});
