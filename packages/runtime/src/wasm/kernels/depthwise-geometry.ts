import { backend_util } from '@tensorflow/tfjs-core';

type ConvInfoArgs = Parameters<typeof backend_util.computeConv2DInfo>;

/** What both depthwise backprop kernels read from the conv geometry (depthwise: channel multiplier M). */
export interface DepthwiseGeometry extends backend_util.Conv2DInfo {
  /** Output channels per input channel. */
  multiplier: number;
  /** Padding before the first row / column. */
  top: number;
  left: number;
}

/** The depthwise conv geometry of the kernel attributes (strides, dilations, pad, dimRoundingMode). */
export function depthwiseGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: { strides: ConvInfoArgs[2]; dilations: ConvInfoArgs[3]; pad: ConvInfoArgs[4]; dimRoundingMode?: ConvInfoArgs[5] },
): DepthwiseGeometry {
  const info = backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  return { ...info, multiplier: info.outChannels / info.inChannels, top: info.padInfo.top, left: info.padInfo.left };
}
