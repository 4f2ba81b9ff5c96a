// What a run records about where it ran: the git commit, versions, and the data files it read.
import { execFileSync } from 'node:child_process';
import type { DataFileRecord } from '@curvad/datasets';
import * as tf from '@tensorflow/tfjs-core';
import type { DataFile } from './results/results-file';

/** The commit of the working tree the run starts in; null outside a git checkout (or without git). */
export function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** Node's and tfjs-core's versions, with the caller's (package versions) on top. */
export function runtimeVersions(extra: Record<string, string> = {}): Record<string, string> {
  return { node: process.version, '@tensorflow/tfjs-core': tf.version_core, ...extra };
}

/** The files read for one configuration, per part, as results.json records them. */
export function dataFilesOf(configuration: string, files: Record<string, readonly DataFileRecord[]>): DataFile[] {
  return Object.entries(files).flatMap(([part, list]) =>
    list.map((f) => ({ configuration, part, path: f.path, bytes: f.bytes, sha256: f.sha256 })),
  );
}
