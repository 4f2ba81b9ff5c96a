import * as tfl from '@tensorflow/tfjs-layers';
import { BackboneError } from './errors';
import { biasInitializer, kernelInitializer } from './initializers';
import { SeedSequence } from './seed-sequence';

export interface ClassifierOptions {
  /** Seed of the classifier's initializer (default 0). */
  seed?: number;
  /** Name of the logits layer (default 'logits'). */
  name?: string;
}

/**
 * Puts a linear classifier (PyTorch's nn.Linear default init) on top of a backbone's embedding and
 * returns the model image -> logits. For per-pixel embeddings ([batch, H, W, C]) the same dense layer
 * acts on every pixel. The result shares the backbone's layers: dispose the returned model only (that
 * disposes the backbone's weights too).
 */
export function withClassifier(backbone: tfl.LayersModel, classes: number, options: ClassifierOptions = {}): tfl.LayersModel {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new BackboneError(`withClassifier: classes must be a positive integer, got ${String(classes)}.`);
  }
  if (backbone.outputs.length !== 1) {
    throw new BackboneError(`withClassifier: the backbone must have exactly one output, it has ${backbone.outputs.length}.`);
  }
  const embedding = backbone.outputs[0]!;
  const features = embedding.shape[embedding.shape.length - 1];
  if (typeof features !== 'number') {
    throw new BackboneError('withClassifier: the embedding size (last dimension) must be known.');
  }
  const seeds = new SeedSequence(options.seed ?? 0);
  const fans = { fanIn: features, fanOut: classes };
  const logits = tfl.layers
    .dense({
      name: options.name ?? 'logits',
      units: classes,
      kernelInitializer: kernelInitializer('torch-default', fans, seeds.next()),
      biasInitializer: biasInitializer('torch-default', fans, seeds.next()),
    })
    .apply(embedding) as tfl.SymbolicTensor;
  return tfl.model({ inputs: backbone.inputs, outputs: logits, name: `${backbone.name}_classifier` });
}
