// The segmentation models of Table VII: the U-Net of @curvad/backbones gives a per-pixel feature at
// the scene's resolution; on it a Euclidean 1x1 classifier (the baseline), or geo-layers'
// pixelGeoHead as the released code builds it (the Euclidean 1x1 classifier and, beside it, a shared
// 3x3 conv feeding per pixel AngleLinear (SiT), ToPoincare + HypMLR (HiT) or both (MiT)). No
// upsampling: the U-Net's feature map already has the input size.
import type { DetectorModel, DetectorOutput } from '@curvad/anomaly-scores';
import { createBackbone } from '@curvad/backbones';
import { type PixelHeadLogits, pixelGeoHead, pixelHeadLoss } from '@curvad/geo-layers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { layerSeed } from '../../../core/seeds';
import {
  SEGMENTATION_MODEL_TABLE,
  type SegmentationConfig,
  type SegmentationModelName,
  segmentationCurvature,
} from '../config/segmentation-config';
import { IGNORE_LABEL } from '../data/load-data';

/** What each model output is: per-pixel logits [b, h, w, classes] of a space, in output order. */
export type PixelSpace = 'euclidean' | 'sphere' | 'poincare';

export interface BuiltSegmenter {
  name: SegmentationModelName;
  model: tfl.LayersModel;
  /** The space of each output, in order (the Euclidean logits first). */
  spaces: PixelSpace[];
  /** l_E + w l_S + w l_H over the per-pixel logits against class-id maps [b, h, w] (IGNORE_LABEL left out). */
  loss(outputs: tf.Tensor | tf.Tensor[], labels: tf.Tensor): tf.Scalar;
  /** The model as the detectors of @curvad/anomaly-scores see it: every PIXEL a row of each output. */
  pixelDetectorModel: DetectorModel;
}

/** The per-pixel logits as rows: [b, h, w, c] -> [b * h * w, c], pixel (i, r, col) at row (i * h + r) * w + col. */
export function pixelRows(logits: tf.Tensor): tf.Tensor2D {
  const channels = logits.shape[logits.rank - 1]!;
  return tf.reshape(logits, [-1, channels]) as tf.Tensor2D;
}

/** Builds model `name` for scenes of `inputShape` with `classes` known classes, its layers seeded from the unit's `seed`. */
export function buildSegmenter(
  name: SegmentationModelName,
  config: SegmentationConfig,
  inputShape: [number, number, number],
  classes: number,
  seed: number,
): BuiltSegmenter {
  const backbone = createBackbone('segmentation-unet', { ...config.unet, inputShape, seed });
  const features = backbone.outputs[0]!;
  const geometry = SEGMENTATION_MODEL_TABLE[name].geometry;
  let outputs: tfl.SymbolicTensor[];
  let spaces: PixelSpace[];
  if (geometry === null) {
    const logits = tfl.layers
      .conv2d({
        name: 'pixel_logits_e',
        filters: classes,
        kernelSize: 1,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: layerSeed(seed, 'baselineClassifier') }),
      })
      .apply(features) as tfl.SymbolicTensor;
    outputs = [logits];
    spaces = ['euclidean'];
  } else {
    const head = pixelGeoHead(features, {
      geometry,
      k: segmentationCurvature(name, config),
      classes,
      seed: layerSeed(seed, 'head'),
      name: 'pixel',
      ...(config.headDim !== undefined ? { embeddingDim: config.headDim } : {}),
    });
    outputs = [head.logits.euclidean];
    spaces = ['euclidean'];
    for (const space of ['sphere', 'poincare'] as const) {
      const logits = head.logits[space];
      if (logits !== undefined) {
        outputs.push(logits);
        spaces.push(space);
      }
    }
  }
  const model = tfl.model({ inputs: backbone.inputs, outputs, name: `segmenter_${name}` });
  const described: DetectorOutput[] = spaces.map((space, index) => ({ index, role: 'logits', space }));
  return {
    name,
    model,
    spaces,
    loss(out, labels) {
      const list = Array.isArray(out) ? out : [out];
      const logits: PixelHeadLogits = { euclidean: list[0]! };
      spaces.forEach((space, i) => {
        if (space !== 'euclidean') logits[space] = list[i]!;
      });
      return pixelHeadLoss(logits, labels, { ignoreLabel: IGNORE_LABEL, geometricWeight: config.geometricLossWeight });
    },
    pixelDetectorModel: {
      outputs: described,
      apply: (x) => {
        const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
        return (Array.isArray(out) ? out : [out]).map((t) => pixelRows(t));
      },
    },
  };
}
