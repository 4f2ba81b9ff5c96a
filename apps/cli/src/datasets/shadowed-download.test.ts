import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { shadowedDownloadNote } from './shadowed-download';

describe('shadowedDownloadNote', () => {
  const broken = { state: 'incomplete' as const, detail: 'incomplete: /data/mnist lacks t10k-labels-idx1-ubyte', dir: '/data/mnist' };

  test('a broken folder outside the download folder: says the readers will still read it and what to do', () => {
    expect(shadowedDownloadNote(broken, '/home/me/.cache/curvad/mnist')).toBe(
      'Note: the readers search /data/mnist before /home/me/.cache/curvad/mnist, so they will keep refusing it after this download: fix or remove the files there (or download into it with --dir).',
    );
  });

  test('nothing to say when the download replaces the broken folder or a folder inside it, or nothing is broken', () => {
    expect(shadowedDownloadNote(broken, '/data/mnist')).toBeUndefined();
    expect(shadowedDownloadNote({ ...broken, dir: join('/data/cifar-10', 'cifar-10-batches-bin') }, '/data/cifar-10')).toBeUndefined();
    expect(shadowedDownloadNote({ state: 'found', detail: '/data/mnist' }, '/elsewhere')).toBeUndefined();
  });
});
