// Test support: small labelled image sets with distinct, recognisable pixels.
import type { ImageSet } from '../image-set.js';

/**
 * n images of h x w x c; image i has a bright blob (value 100 + i mod 150) in its centre half and
 * 0 around it, so foreground and background are known exactly. Labels cycle through `classes`.
 */
export function blobSet(n: number, h: number, w: number, c: number, classes: number): ImageSet {
  const images = new Uint8Array(n * h * w * c);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % classes;
    for (let y = Math.floor(h / 4); y < Math.floor((3 * h) / 4); y++) {
      for (let x = Math.floor(w / 4); x < Math.floor((3 * w) / 4); x++) {
        for (let ch = 0; ch < c; ch++) images[((i * h + y) * w + x) * c + ch] = 100 + ((i + y + x + ch) % 150);
      }
    }
  }
  return { images, labels, shape: [n, h, w, c] };
}

/** n images whose every pixel is distinct from image to image: value (i * 37 + p) mod 255 + 1 (never 0). */
export function denseSet(n: number, h: number, w: number, c: number, classes: number): ImageSet {
  const per = h * w * c;
  return {
    images: Uint8Array.from({ length: n * per }, (_, k) => ((Math.floor(k / per) * 37 + (k % per)) % 255) + 1),
    labels: Uint8Array.from({ length: n }, (_, i) => i % classes),
    shape: [n, h, w, c],
  };
}
