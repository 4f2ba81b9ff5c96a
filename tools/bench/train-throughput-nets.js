// The two nets of tools/bench/train-throughput.mjs, built with tfjs-layers (same shapes as
// train-throughput.py builds in PyTorch).
import { fusedBatchNormalization } from '@curvad/backbones';
import { fusedAdam } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const L = tfl.layers;

/** conv 32 3x3 same + relu, maxpool 2, conv 64 3x3 stride 2 same + relu, dense 128 relu, dense 10 (logits). */
export function referenceCnn() {
  return tfl.sequential({
    layers: [
      L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      L.flatten(),
      L.dense({ units: 128, activation: 'relu' }),
      L.dense({ units: 10 }),
    ],
  });
}

/** Batch normalization layers: @curvad/backbones' fused one (its training step), or tfjs-layers' own with CURVAD_BENCH_TFJS_BN=1. */
const batchNorm = process.env.CURVAD_BENCH_TFJS_BN === '1' ? L.batchNormalization : fusedBatchNormalization;

/**
 * What DataParallelTrainer's workers import to rebuild these nets: the module registering
 * FusedBatchNormalization (tfjs-layers' own classes need nothing).
 */
export const WORKER_MODULES = process.env.CURVAD_BENCH_TFJS_BN === '1' ? [] : [import.meta.resolve('@curvad/backbones')];

function convBn(x, filters, kernelSize, strides) {
  const y = L.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false }).apply(x);
  return batchNorm({ axis: -1 }).apply(y);
}

function basicBlock(x, filters, strides) {
  let y = L.activation({ activation: 'relu' }).apply(convBn(x, filters, 3, strides));
  y = convBn(y, filters, 3, 1);
  const inChannels = x.shape[x.shape.length - 1];
  const shortcut = strides !== 1 || inChannels !== filters ? convBn(x, filters, 1, strides) : x;
  return L.activation({ activation: 'relu' }).apply(L.add().apply([y, shortcut]));
}

/** CIFAR ResNet-18: 3x3 stem, no max pool, [2, 2, 2, 2] basic blocks of 64-128-256-512 channels, 10 logits. */
export function cifarResNet18() {
  const input = tfl.input({ shape: [32, 32, 3] });
  let x = L.activation({ activation: 'relu' }).apply(convBn(input, 64, 3, 1));
  for (const [filters, strides] of [
    [64, 1],
    [128, 2],
    [256, 2],
    [512, 2],
  ]) {
    x = basicBlock(x, filters, strides);
    x = basicBlock(x, filters, 1);
  }
  x = L.globalAveragePooling2d({}).apply(x);
  return tfl.model({ inputs: input, outputs: L.dense({ units: 10 }).apply(x) });
}

export const NETS = {
  cnn: { build: referenceCnn, batch: 128, shape: [28, 28, 1], label: 'reference CNN (28x28x1, batch 128)' },
  resnet18: { build: cifarResNet18, batch: 32, shape: [32, 32, 3], label: 'CIFAR ResNet-18 (32x32x3, batch 32)' },
};

/**
 * A compiled model (Adam 1e-3 as @curvad/runtime's fusedAdam: tf.train.adam's results, one fused update
 * kernel per variable; PyTorch's side uses torch.optim.Adam) and softmax cross-entropy on logits, with
 * one fixed random batch.
 */
export function makeTrainer(name) {
  const net = NETS[name];
  const model = net.build();
  const optimizer = fusedAdam(1e-3);
  model.compile({ optimizer, loss: (labels, logits) => tf.losses.softmaxCrossEntropy(labels, logits) });
  const x = tf.randomNormal([net.batch, ...net.shape]);
  const y = tf.oneHot(tf.randomUniform([net.batch], 0, 10, 'int32'), 10);
  return {
    batch: net.batch,
    model,
    x,
    y,
    step: () => model.trainOnBatch(x, y),
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
      // A model does not dispose an optimizer it was given (Adam's two slots per weight).
      optimizer.dispose();
    },
  };
}

/**
 * Inference on one fixed random batch of `batch` images: `model.predict(x, { batchSize })` (no
 * gradient tape, batch-norm on its moving statistics) with the logits read back, as PyTorch's
 * model.eval() + torch.no_grad() does in train-throughput.py. `batchSize` defaults to `batch` (one
 * forward pass); tfjs-layers' own default is 32.
 */
export function makePredictor(name, batch, batchSize = batch) {
  const net = NETS[name];
  const model = net.build();
  const x = tf.randomNormal([batch, ...net.shape]);
  return {
    batch,
    step: async () => {
      const logits = model.predict(x, { batchSize });
      await logits.data();
      logits.dispose();
    },
    dispose: () => {
      x.dispose();
      model.dispose();
    },
  };
}
