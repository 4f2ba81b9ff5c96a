// Data-parallel training across worker_threads, for tools/bench/train-throughput.mjs --workers N.
// The main thread and N-1 workers each hold a wasm backend and a copy of the net; every step the
// main thread sends its weights, each thread computes the gradients of its shard of the batch,
// the main thread averages them (equal shards, so the mean equals the full-batch gradient except
// for batch-norm statistics, which are per shard as in PyTorch DDP without SyncBN) and applies Adam.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, seed } from '@curvad/runtime';
import { NETS } from './train-throughput-nets.js';

function shardLossAndGrads(model, x, y) {
  const { value, grads } = tf.variableGrads(() =>
    tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })),
  );
  value.dispose();
  return grads;
}

function makeShard(net, shardSize, shardIndex) {
  // Same data in every thread: one seeded batch, sliced.
  seed(1);
  const full = NETS[net];
  const x = tf.randomNormal([full.batch, ...full.shape]);
  const y = tf.oneHot(tf.randomUniform([full.batch], 0, 10, 'int32'), 10);
  const xs = tf.slice(x, shardIndex * shardSize, shardSize);
  const ys = tf.slice(y, shardIndex * shardSize, shardSize);
  tf.dispose([x, y]);
  return { xs, ys };
}

if (!isMainThread && workerData?.role === 'data-parallel-worker') {
  const { net, shardSize, shardIndex } = workerData;
  await initBackend({ backend: 'wasm', log: false });
  seed(0);
  const model = NETS[net].build();
  const { xs, ys } = makeShard(net, shardSize, shardIndex);
  const variables = model.trainableWeights.map((w) => w.read());
  parentPort.on('message', (weights) => {
    weights.forEach((values, i) => variables[i].assign(tf.tensor(values, variables[i].shape)));
    const grads = shardLossAndGrads(model, xs, ys);
    const out = variables.map((v) => grads[v.name].dataSync());
    tf.dispose(Object.values(grads));
    parentPort.postMessage(out, out.map((a) => a.buffer));
  });
  parentPort.postMessage('ready');
}

export class DataParallelTrainer {
  static async create(net, threads) {
    const batch = NETS[net].batch;
    if (batch % threads !== 0) throw new Error(`batch ${batch} does not split into ${threads} equal shards`);
    const shardSize = batch / threads;
    await initBackend({ backend: 'wasm', log: false });
    seed(0);
    const model = NETS[net].build();
    const shard = makeShard(net, shardSize, 0);
    const workers = [];
    for (let i = 1; i < threads; i++) {
      const worker = new Worker(new URL(import.meta.url), { workerData: { role: 'data-parallel-worker', net, shardSize, shardIndex: i } });
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      workers.push(worker);
    }
    return new DataParallelTrainer(model, shard, workers, batch);
  }

  constructor(model, shard, workers, batch) {
    this.model = model;
    this.shard = shard;
    this.workers = workers;
    this.batch = batch;
    this.optimizer = tf.train.adam(1e-3);
    this.variables = model.trainableWeights.map((w) => w.read());
  }

  async step() {
    const weights = this.variables.map((v) => v.dataSync());
    const replies = this.workers.map(
      (worker) =>
        new Promise((resolve) => {
          worker.once('message', resolve);
          worker.postMessage(weights);
        }),
    );
    const own = shardLossAndGrads(this.model, this.shard.xs, this.shard.ys);
    const others = await Promise.all(replies);
    const threads = this.workers.length + 1;
    const averaged = {};
    tf.tidy(() => {
      this.variables.forEach((v, i) => {
        let sum = own[v.name];
        for (const reply of others) sum = tf.add(sum, tf.tensor(reply[i], v.shape));
        averaged[v.name] = tf.keep(tf.div(sum, threads));
      });
    });
    tf.dispose(Object.values(own));
    this.optimizer.applyGradients(averaged);
    tf.dispose(Object.values(averaged));
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.terminate()));
    tf.dispose([this.shard.xs, this.shard.ys]);
    this.optimizer.dispose();
    this.model.dispose();
  }
}
