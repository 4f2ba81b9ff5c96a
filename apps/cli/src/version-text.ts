import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVersions, tfjsCoreVersion } from './versions';

/** `git` answers in milliseconds; a hung one (a network file system) must not hang `--version`. */
const GIT_TIMEOUT_MS = 2000;

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: GIT_TIMEOUT_MS })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** The commit of the checkout the CLI runs from (not the current folder's), and whether tracked files differ from it. */
export function cliGitState(cliDir = dirname(fileURLToPath(import.meta.url))): { commit: string; modified: boolean } | null {
  const commit = git(['rev-parse', '--short=12', 'HEAD'], cliDir);
  if (!commit) return null;
  const status = git(['status', '--porcelain', '--untracked-files=no'], cliDir);
  return { commit, modified: status !== null && status !== '' };
}

/**
 * What `curvad --version` prints: the CLI's version and, in a git checkout, the commit it runs
 * from (the package version stays 0.0.0 until a release, so the commit is what identifies a build),
 * then the versions that decide the numbers: tfjs-core and node.
 */
export function versionText(gitState = cliGitState()): string {
  const cli = packageVersions()['@curvad/cli'] ?? 'unknown';
  const commit = gitState
    ? `, git commit ${gitState.commit}${gitState.modified ? ' with uncommitted changes' : ''}`
    : ', not a git checkout';
  return `curvad ${cli} (@curvad/cli${commit})\n@tensorflow/tfjs-core ${tfjsCoreVersion() ?? 'not found'}, node ${process.version}\n`;
}
