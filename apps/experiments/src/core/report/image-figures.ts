// Images in a task's report.html section (the segmentation task's test scenes, the patch-svdd
// task's test images): each an inline PNG in a captioned <figure>, drawn pixelated at a fixed width,
// large images subsampled so a page of dozens of them stays a few MB.
import { escapeHtml } from './html-report';
import { type PngOptions, pngDataUri } from './png';

/** Longest side of a drawn image in image pixels: larger images (StreetHazards) are subsampled, so the page stays a few MB. */
export const MAX_DRAWN_SIDE = 256;
/** Default displayed width of each image in CSS pixels (64x64 scenes drawn at 2.5x, pixelated). */
export const DISPLAY_WIDTH_PX = 160;

/** The subsampling stride that brings an image's longest side to at most MAX_DRAWN_SIDE (1: drawn whole). */
export function drawStride(height: number, width: number): number {
  return Math.ceil(Math.max(height, width) / MAX_DRAWN_SIDE);
}

/** Every `stride`-th row and column of an image [h, w, channels] (nearest neighbour): [pixels, height, width]. */
export function subsample(
  pixels: Uint8Array,
  height: number,
  width: number,
  channels: number,
  stride: number,
): [Uint8Array, number, number] {
  if (stride <= 1) return [pixels, height, width];
  const h = Math.ceil(height / stride);
  const w = Math.ceil(width / stride);
  const out = new Uint8Array(h * w * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const from = (y * stride * width + x * stride) * channels;
      out.set(pixels.subarray(from, from + channels), (y * w + x) * channels);
    }
  }
  return [out, h, w];
}

/** An image [height, width, channels] subsampled by `stride`, as a PNG data URI. */
export function drawnImageUri(
  pixels: Uint8Array,
  height: number,
  width: number,
  channels: 1 | 3,
  stride: number,
  options: PngOptions = {},
): string {
  const [drawn, h, w] = subsample(pixels, height, width, channels, stride);
  return pngDataUri(drawn, w, h, channels, options);
}

export interface ImageFigure {
  /** The image's data URI. */
  src: string;
  /** Height over width of the image. */
  aspect: number;
  /** The image's alt text (plain text, escaped here). */
  alt: string;
  /** The caption: HTML the caller built (escape its text with `escapeHtml`). */
  caption: string;
  /** The figure's class attribute. */
  className: string;
  /** Displayed width in CSS pixels (default DISPLAY_WIDTH_PX). */
  displayWidth?: number;
}

/** One captioned image, pixelated (report images are small; smoothing would blur single-pixel detail). */
export function imageFigureHtml(figure: ImageFigure): string {
  const width = figure.displayWidth ?? DISPLAY_WIDTH_PX;
  const height = Math.round(width * figure.aspect);
  return `<figure class="${escapeHtml(figure.className)}" style="margin:0;text-align:center;font-size:.75em;max-width:${width}px"><img src="${figure.src}" width="${width}" height="${height}" style="image-rendering:pixelated" alt="${escapeHtml(figure.alt)}"><figcaption>${figure.caption}</figcaption></figure>`;
}
