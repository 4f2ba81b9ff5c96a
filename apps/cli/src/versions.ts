import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Packages whose versions a results file records, besides node and tfjs (which the runner adds). */
const RECORDED_PACKAGES = ['@curvad/experiments', '@curvad/runtime', '@curvad/datasets'] as const;

function versionOf(specifier: string): string | undefined {
  try {
    return (require(specifier) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The installed @tensorflow/tfjs-core version, read from its package.json (loading tfjs itself takes a second). */
export function tfjsCoreVersion(): string | undefined {
  return versionOf('@tensorflow/tfjs-core/package.json');
}

/** `@curvad/cli` and the curvad packages it runs, name -> version (those that can be resolved). */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  // This file sits directly in src/ and is bundled into dist/, so the package.json is one level up in both.
  const own = versionOf('../package.json');
  if (own) versions['@curvad/cli'] = own;
  for (const name of RECORDED_PACKAGES) {
    const version = versionOf(`${name}/package.json`);
    if (version) versions[name] = version;
  }
  return versions;
}
