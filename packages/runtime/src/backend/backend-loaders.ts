/** Where a tfjs backend can come from, best first. */
export type BackendCandidate = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** Imports a backend package for its side effect (it registers the backend with tfjs-core) and returns the module. */
export type BackendLoader = () => Promise<unknown>;

export type BackendLoaders = Record<BackendCandidate, BackendLoader>;

/** npm package of each candidate. */
export const CANDIDATE_PACKAGES: Readonly<Record<BackendCandidate, string>> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** tfjs backend name each candidate registers (both node packages register 'tensorflow'). */
export const CANDIDATE_BACKEND_NAMES: Readonly<Record<BackendCandidate, 'tensorflow' | 'wasm' | 'cpu'>> = {
  'tfjs-node-gpu': 'tensorflow',
  'tfjs-node': 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/**
 * Imports a package chosen at run time. The specifier is a variable on purpose: bundlers and
 * TypeScript must not try to resolve optional peers that are usually absent.
 */
async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

export const defaultBackendLoaders: BackendLoaders = {
  'tfjs-node-gpu': () => importOptional(CANDIDATE_PACKAGES['tfjs-node-gpu']),
  'tfjs-node': () => importOptional(CANDIDATE_PACKAGES['tfjs-node']),
  wasm: () => importOptional(CANDIDATE_PACKAGES.wasm),
  cpu: () => importOptional(CANDIDATE_PACKAGES.cpu),
};

/** True when `error` says that `packageName` itself (not one of its dependencies) is not installed. */
export function isPackageNotInstalled(error: unknown, packageName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  if (typeof message !== 'string') return true;
  // Node quotes the missing specifier: "Cannot find package '@tensorflow/tfjs-node' imported from ..."
  // or "Cannot find module '@tensorflow/tfjs-node'". A different quoted name means a broken install.
  const quoted = message.match(/'([^']+)'/);
  return quoted === null || quoted[1] === packageName || quoted[1]!.startsWith(`${packageName}/`);
}
