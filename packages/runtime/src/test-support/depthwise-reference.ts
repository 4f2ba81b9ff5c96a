// Test-only: float64 depthwise-convolution gradients straight from their definitions, for the
// dilated cases where tfjs's cpu backend is not a usable reference (its depthwise backprops ignore
// dilations; tfjs's own autodiff never asks for them).
import * as tf from '@tensorflow/tfjs-core';
import { type ConvCase, convOutputSize } from './conv-cases';

interface Geometry {
  c: ConvCase;
  multiplier: number;
  outH: number;
  outW: number;
  top: number;
  left: number;
}

function geometry(c: ConvCase): Geometry {
  const info = tf.backend_util.computeConv2DInfo(
    [c.batch, c.height, c.width, c.inChannels],
    [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels],
    c.strides,
    c.dilations,
    c.pad,
    undefined,
    true,
  );
  return {
    c,
    multiplier: c.outChannels,
    outH: convOutputSize(c, 'h'),
    outW: convOutputSize(c, 'w'),
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

/** Visits every (output position, tap) pair that reads an input pixel. */
function forEachTap(g: Geometry, visit: (xIndex: number, dyIndex: number, fIndex: number) => void): void {
  const { c, multiplier, outH, outW, top, left } = g;
  const channelsOut = c.inChannels * multiplier;
  for (let b = 0; b < c.batch; b++)
    for (let oh = 0; oh < outH; oh++)
      for (let ow = 0; ow < outW; ow++)
        for (let kh = 0; kh < c.filterHeight; kh++)
          for (let kw = 0; kw < c.filterWidth; kw++) {
            const ih = oh * c.strides[0] + kh * c.dilations[0] - top;
            const iw = ow * c.strides[1] + kw * c.dilations[1] - left;
            if (ih < 0 || ih >= c.height || iw < 0 || iw >= c.width) continue;
            for (let ch = 0; ch < c.inChannels; ch++)
              for (let m = 0; m < multiplier; m++) {
                const xIndex = ((b * c.height + ih) * c.width + iw) * c.inChannels + ch;
                const dyIndex = ((b * outH + oh) * outW + ow) * channelsOut + ch * multiplier + m;
                const fIndex = ((kh * c.filterWidth + kw) * c.inChannels + ch) * multiplier + m;
                visit(xIndex, dyIndex, fIndex);
              }
          }
}

export function depthwiseFilterGradientReference(c: ConvCase, x: Float32Array, dy: Float32Array): Float64Array {
  const out = new Float64Array(c.filterHeight * c.filterWidth * c.inChannels * c.outChannels);
  forEachTap(geometry(c), (xi, di, fi) => {
    out[fi] += x[xi]! * dy[di]!;
  });
  return out;
}

export function depthwiseInputGradientReference(c: ConvCase, dy: Float32Array, filter: Float32Array): Float64Array {
  const out = new Float64Array(c.batch * c.height * c.width * c.inChannels);
  forEachTap(geometry(c), (xi, di, fi) => {
    out[xi] += dy[di]! * filter[fi]!;
  });
  return out;
}
