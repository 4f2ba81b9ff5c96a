import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CurvadRuntimeError } from '../errors';
import { expectNoLeak } from '../memory/memory-checks';
import { readyWasm } from '../test-support/backends';
import { ADAM_UPDATE } from './adam-update-loop';
import { FusedAdamOptimizer, fusedAdam } from './fused-adam';
import { copyVariables, gradientsFor, makeVariables, maxUlpDistance } from './fused-adam-test-support';
import { registerAdamUpdateKernels } from './register-adam-update';

beforeAll(readyWasm);
afterEach(async () => {
  await tf.setBackend('cpu');
});

const SHAPES = [[3, 3, 4, 8], [8], [17, 5], [1], [2, 1, 3]];

type Optimizer = tf.AdamOptimizer;
type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** { name: gradient }, the form tfjs-layers passes (typed by tfjs as a variable map). */
function gradientMap(entries: [string, tf.Tensor][]): VariableGradients {
  return Object.fromEntries(entries) as unknown as VariableGradients;
}

/** Runs `steps` steps of `optimizer` on `variables` with the given per-step gradients. */
function run(optimizer: Optimizer, variables: tf.Variable[], gradients: tf.Tensor[][]): void {
  for (const step of gradients) optimizer.applyGradients(gradientMap(variables.map((v, i) => [v.name, step[i]!])));
}

/** Per-step gradients computed once (from the reference variables' start values), shared by both optimizers. */
function stepGradients(variables: tf.Variable[], steps: number): tf.Tensor[][] {
  return Array.from({ length: steps }, (_, step) => gradientsFor(variables, step));
}

async function slotValues(optimizer: Optimizer): Promise<{ names: string[]; values: Float32Array[] }> {
  const weights = await optimizer.getWeights();
  return { names: weights.map((w) => w.name), values: weights.map((w) => w.tensor.dataSync() as Float32Array) };
}

function worstUlps(a: tf.Tensor[], b: tf.Tensor[]): number {
  return Math.max(...a.map((t, i) => maxUlpDistance(t.dataSync(), b[i]!.dataSync())));
}

function countAdamKernels(): { calls: () => number; restore: () => void } {
  const engine = tf.engine();
  const original = engine.runKernel.bind(engine);
  let calls = 0;
  const spy = vi.spyOn(engine, 'runKernel').mockImplementation((name, inputs, attrs) => {
    if (name === ADAM_UPDATE) calls++;
    return original(name, inputs, attrs);
  });
  return { calls: () => calls, restore: () => spy.mockRestore() };
}

describe.each(['cpu', 'wasm'] as const)('fusedAdam on %s', (backend) => {
  it('matches tf.train.adam over several steps on several variables (variables and slots bit for bit)', async () => {
    await tf.setBackend(backend);
    const reference = makeVariables(SHAPES, 11);
    const fused = copyVariables(reference);
    const gradients = stepGradients(reference, 6);
    const adam = tf.train.adam(0.01, 0.8, 0.95);
    const ours = fusedAdam(0.01, 0.8, 0.95);
    const counter = countAdamKernels();
    try {
      run(adam, reference, gradients);
      run(ours, fused, gradients);
    } finally {
      counter.restore();
    }
    // The fused kernel did the work: one call per variable and step.
    expect(counter.calls()).toBe(6 * SHAPES.length);
    expect(worstUlps(fused, reference)).toBe(0);
    const a = await slotValues(adam);
    const b = await slotValues(ours);
    const slotNames = (variables: tf.Variable[]) => [
      'iter',
      ...variables.map((v) => `${v.name}/m`),
      ...variables.map((v) => `${v.name}/v`),
    ];
    expect(a.names).toEqual(slotNames(reference));
    expect(b.names).toEqual(slotNames(fused));
    for (let i = 1; i < a.values.length; i++) expect(maxUlpDistance(b.values[i]!, a.values[i]!)).toBe(0);
    // The variables moved: Adam's first step moves every entry with a nonzero gradient by about lr.
    const start = makeVariables(SHAPES, 11);
    expect(tf.max(tf.abs(tf.sub(fused[0]!, start[0]!))).dataSync()[0]).toBeGreaterThan(0.01);
    tf.dispose([...reference, ...fused, ...start, ...gradients.flat()]);
    adam.dispose();
    ours.dispose();
  });

  it('follows a learning rate changed between steps (as geo-layers schedules assign it)', async () => {
    await tf.setBackend(backend);
    const reference = makeVariables(SHAPES, 17);
    const fused = copyVariables(reference);
    const gradients = stepGradients(reference, 4);
    const adam = tf.train.adam(0.01);
    const ours = fusedAdam(0.01);
    for (const [step, grads] of gradients.entries()) {
      const rate = 0.01 * 0.5 ** step;
      for (const optimizer of [adam, ours]) (optimizer as unknown as { learningRate: number }).learningRate = rate;
      run(adam, reference, [grads]);
      run(ours, fused, [grads]);
    }
    expect(worstUlps(fused, reference)).toBe(0);
    tf.dispose([...reference, ...fused, ...gradients.flat()]);
    adam.dispose();
    ours.dispose();
  });

  it('leaks no tensor over repeated steps', async () => {
    await tf.setBackend(backend);
    const variables = makeVariables(SHAPES, 5);
    const gradients = gradientsFor(variables, 0);
    const optimizer = fusedAdam();
    const grads = gradientMap(variables.map((v, i) => [v.name, gradients[i]!]));
    // The first call creates the m and v slots (kept by the optimizer), so it is the warm-up.
    await expectNoLeak(() => optimizer.applyGradients(grads), { warmupRuns: 1, runs: 3, label: 'fusedAdam.applyGradients' });
    optimizer.dispose();
    tf.dispose([...variables, ...gradients]);
  });

  it('trains a tfjs-layers model in compile/fit exactly as tf.train.adam does', async () => {
    await tf.setBackend(backend);
    const build = () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [6], units: 8, activation: 'relu', kernelInitializer: 'glorotUniform' }),
          tfl.layers.dense({ units: 3 }),
        ],
      });
    const reference = build();
    const model = build();
    model.setWeights(reference.getWeights());
    reference.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    model.compile({ optimizer: fusedAdam(0.05), loss: 'meanSquaredError' });
    const xs = tf.tensor2d(
      Array.from({ length: 32 * 6 }, (_, i) => Math.sin(i)),
      [32, 6],
    );
    const ys = tf.tensor2d(
      Array.from({ length: 32 * 3 }, (_, i) => Math.cos(i)),
      [32, 3],
    );
    const options = { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 as const };
    const expected = await reference.fit(xs, ys, options);
    const actual = await model.fit(xs, ys, options);
    const losses = (h: tfl.History) => h.history.loss as number[];
    expect(losses(actual)).toEqual(losses(expected));
    expect(losses(actual)[3]!).toBeLessThan(losses(actual)[0]!);
    expect(worstUlps(model.getWeights(), reference.getWeights())).toBe(0);
    expect(model.optimizer.getClassName()).toBe('Adam');
    tf.dispose([xs, ys]);
    reference.dispose();
    model.dispose();
  });
});

describe('fusedAdam state', () => {
  it('getWeights/setWeights carry the state between fusedAdam and tf.train.adam, both ways', async () => {
    await tf.setBackend('wasm');
    for (const [makeSource, label] of [
      [() => fusedAdam(0.02), 'fusedAdam'],
      [() => tf.train.adam(0.02), 'tf.train.adam'],
    ] as const) {
      const variables = makeVariables(SHAPES, 23);
      const source = makeSource();
      run(source, variables, stepGradients(variables, 3));
      const saved = await source.getWeights();
      expect(saved[0]!.tensor.dataSync()[0], label).toBe(3); // iterations
      // Continue from the saved state with each optimizer, on identical copies of the variables.
      const a = copyVariables(variables);
      const b = copyVariables(variables);
      const restoredAdam = tf.train.adam(0.02);
      const restoredFused = fusedAdam(0.02);
      await restoredAdam.setWeights(saved.map((w) => ({ name: w.name, tensor: w.tensor.clone() })));
      await restoredFused.setWeights(saved.map((w) => ({ name: w.name, tensor: w.tensor.clone() })));
      const later = stepGradients(variables, 2);
      run(restoredAdam, a, later);
      run(restoredFused, b, later);
      expect(worstUlps(b, a), label).toBe(0);
      expect(restoredFused.iterations).toBe(5);
      tf.dispose([...variables, ...a, ...b, ...later.flat()]);
      for (const optimizer of [source, restoredAdam, restoredFused]) optimizer.dispose();
    }
  });

  it('has tf.train.adam defaults, config and class name', () => {
    const ours = fusedAdam();
    const theirs = tf.train.adam();
    expect(ours).toBeInstanceOf(FusedAdamOptimizer);
    expect(ours).toBeInstanceOf(tf.AdamOptimizer);
    expect(ours.getConfig()).toEqual(theirs.getConfig());
    expect(ours.getClassName()).toBe('Adam');
    // Deserialising a saved config gives tf.AdamOptimizer, the class registered as 'Adam'.
    expect(tf.serialization.SerializationMap.getMap().classNameMap.Adam?.[0]).toBe(tf.AdamOptimizer);
    ours.dispose();
    theirs.dispose();
  });
});

describe('fusedAdam without the kernel (fallback to tfjs ops)', () => {
  it("uses tf.AdamOptimizer's ops and gives the same result when the backend lacks CurvadAdamUpdate", async () => {
    await tf.setBackend('cpu');
    const ours = fusedAdam(0.01);
    tf.unregisterKernel(ADAM_UPDATE, 'cpu');
    const counter = countAdamKernels();
    try {
      const reference = makeVariables(SHAPES, 31);
      const fused = copyVariables(reference);
      const gradients = stepGradients(reference, 3);
      const adam = tf.train.adam(0.01);
      run(adam, reference, gradients);
      run(ours, fused, gradients);
      expect(counter.calls()).toBe(0);
      expect(worstUlps(fused, reference)).toBe(0);
      tf.dispose([...reference, ...fused, ...gradients.flat()]);
      adam.dispose();
    } finally {
      counter.restore();
      registerAdamUpdateKernels();
      ours.dispose();
    }
    expect(tf.getKernel(ADAM_UPDATE, 'cpu')).toBeDefined();
  });
});

describe('fusedAdam errors', () => {
  it('rejects a gradient whose shape differs from its variable, naming both shapes', async () => {
    await tf.setBackend('wasm');
    const [v] = makeVariables([[2, 3]], 3);
    const optimizer = fusedAdam();
    const g = tf.ones([3]);
    expect(() => optimizer.applyGradients(gradientMap([[v!.name, g]]))).toThrow(CurvadRuntimeError);
    expect(() => optimizer.applyGradients(gradientMap([[v!.name, g]]))).toThrow(
      /gradient of '.*' has shape \[3\] but the variable has shape \[2,3\]/,
    );
    // Nothing changed: no step was taken.
    expect(optimizer.iterations).toBe(0);
    tf.dispose([v!, g]);
    optimizer.dispose();
  });

  it('rejects non-float32 variables and gradients, saying how to fix them', async () => {
    await tf.setBackend('cpu');
    const [v] = makeVariables([[4]], 3);
    const intVariable = tf.variable(tf.tensor1d([1, 2], 'int32'), true, 'fused-adam-int-variable');
    const optimizer = fusedAdam();
    const intGradient = tf.tensor1d([1, 2, 3, 4], 'int32');
    expect(() => optimizer.applyGradients(gradientMap([[v!.name, intGradient]]))).toThrow(/must be float32 \(tf\.cast/);
    expect(() => optimizer.applyGradients(gradientMap([[intVariable.name, tf.ones([2])]]))).toThrow(
      /float32 variables only; 'fused-adam-int-variable' is int32/,
    );
    expect(() => optimizer.applyGradients(gradientMap([['no-such-variable', tf.ones([2])]]))).toThrow(
      /no variable named 'no-such-variable'/,
    );
    tf.dispose([v!, intVariable, intGradient]);
    optimizer.dispose();
  });
});
