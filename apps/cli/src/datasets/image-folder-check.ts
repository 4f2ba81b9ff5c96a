import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FileCheck } from '@curvad/datasets';

/** The image types the folder readers of @curvad/datasets decode. */
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.webp', '.tif', '.tiff', '.gif']);

/**
 * Whether a folder of images looks readable without decoding it: it must hold at least one image
 * file (recursively) and no empty one. An empty folder or a zero-byte image is what an interrupted
 * extraction leaves behind, and the reader would fail on it (or read nothing).
 */
export function checkImageFolder(dir: string): FileCheck & { images?: number } {
  let images = 0;
  const walk = (d: string): FileCheck | null => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        const inner = walk(path);
        if (inner) return inner;
      } else if (entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        if (statSync(path).size === 0) return { ok: false, reason: `holds an empty image file ${path}` };
        images += 1;
      }
    }
    return null;
  };
  const problem = walk(dir);
  if (problem) return problem;
  if (images === 0) return { ok: false, reason: 'holds no image files' };
  return { ok: true, images };
}
