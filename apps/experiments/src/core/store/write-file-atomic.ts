import { rename, rm, writeFile } from 'node:fs/promises';

/** Writes a file atomically: a reader never sees half a file, and a crash leaves the old one. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
