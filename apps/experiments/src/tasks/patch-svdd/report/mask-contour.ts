// The ground-truth defect outlined on the test image (anomalib's "image + mask contour" view): the
// defect is often hard to see in the bare image, and the outline shows where the heatmap should
// light up without hiding the pixels inside it.

/** Colour of the outline: pure red, which no grey image and few Fashion-MNIST / MVTec AD colours carry. */
export const CONTOUR_RGB: readonly [number, number, number] = [255, 0, 0];

/**
 * 1 on the inner boundary of the mask [h, w]: a defect pixel with a 4-neighbour that is normal or
 * outside the image (so a defect touching the border is outlined there too, a closed outline).
 */
export function maskContour(mask: Uint8Array, height: number, width: number): Uint8Array {
  const contour = new Uint8Array(height * width);
  const normal = (y: number, x: number) => y < 0 || x < 0 || y >= height || x >= width || !mask[y * width + x];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      if (normal(y - 1, x) || normal(y + 1, x) || normal(y, x - 1) || normal(y, x + 1)) contour[y * width + x] = 1;
    }
  }
  return contour;
}

/** The image [h, w, channels] (grey or RGB) as RGB with the mask's contour drawn in CONTOUR_RGB. */
export function contourOverlayRgb(image: Uint8Array, mask: Uint8Array, height: number, width: number, channels: 1 | 3): Uint8Array {
  const contour = maskContour(mask, height, width);
  const rgb = new Uint8Array(height * width * 3);
  for (let p = 0; p < height * width; p++) {
    if (contour[p]) rgb.set(CONTOUR_RGB, p * 3);
    else if (channels === 3) rgb.set(image.subarray(p * 3, p * 3 + 3), p * 3);
    else rgb.fill(image[p]!, p * 3, p * 3 + 3);
  }
  return rgb;
}
