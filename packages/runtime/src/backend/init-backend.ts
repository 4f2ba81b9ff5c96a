import * as tf from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../errors';
import { registerLeanGradients } from '../gradients/register-lean-gradients';
import { registerWasmTrainingKernels, type WasmKernelRegistration, type WinogradTile } from '../wasm/register-wasm-kernels';
import {
  type BackendCandidate,
  type BackendLoaders,
  CANDIDATE_BACKEND_NAMES,
  CANDIDATE_PACKAGES,
  defaultBackendLoaders,
  isPackageNotInstalled,
} from './backend-loaders';

/** What `initBackend` may pick: 'auto' (the fastest that works), or one backend by its tfjs name. */
export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Candidates tried for each request, best first. */
const CANDIDATES: Readonly<Record<BackendRequest, readonly BackendCandidate[]>> = {
  auto: ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'],
  tensorflow: ['tfjs-node-gpu', 'tfjs-node'],
  wasm: ['wasm'],
  cpu: ['cpu'],
};

export interface WasmOptions {
  /**
   * Where the .wasm binaries are: a folder prefix ending in '/' or a map from file name to path,
   * as tfjs-backend-wasm's `setWasmPaths`. Not needed in Node when the package is loaded from
   * node_modules (it finds its binaries next to itself); needed when a bundler moves the code.
   */
  paths?: string | Record<string, string>;
  /** Threads for the threaded binary. tfjs-backend-wasm 4.x never uses it in Node (it reports no thread support there). */
  threads?: number;
  /** Replace the wasm kernels that dominate a training step with this package's faster ones (default true). */
  replaceSlowKernels?: boolean;
  /**
   * Winograd tile sizes 3x3 convolutions with stride 1 or 2 may use (see registerWasmTrainingKernels);
   * default [2, 4], `[]` keeps the direct convolution everywhere.
   */
  winograd?: readonly WinogradTile[];
}

export interface InitBackendOptions {
  /** Default 'auto'. */
  backend?: BackendRequest;
  wasm?: WasmOptions;
  /** Receives the one-line summary of the choice; `false` for silence. Default `console.info`. */
  log?: ((line: string) => void) | false;
  /** Replaces the package imports (tests use this to simulate installed and missing packages). */
  loaders?: Partial<BackendLoaders>;
}

export interface SkippedCandidate {
  candidate: BackendCandidate;
  /** e.g. 'not installed', 'failed to load: libtensorflow.so.2: cannot open shared object file'. */
  reason: string;
}

export interface BackendChoice {
  /** Name of the active tfjs backend ('tensorflow' for both node packages). */
  backend: 'tensorflow' | 'wasm' | 'cpu';
  /** Which candidate provided it. */
  candidate: BackendCandidate;
  /** Better candidates that were tried and why each was not used, in the order tried. */
  skipped: SkippedCandidate[];
  /** For wasm: which of our training kernels were registered. */
  wasmKernels?: WasmKernelRegistration;
  /** The line that was logged. */
  summary: string;
}

interface WasmModule {
  setWasmPaths?: (paths: string | Record<string, string>, usePlatformFetch?: boolean) => void;
  setThreadsCount?: (count: number) => void;
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}

function prepareWasm(module: unknown, options: WasmOptions | undefined): void {
  const wasm = (module ?? {}) as WasmModule;
  if (options?.paths !== undefined) {
    if (typeof wasm.setWasmPaths !== 'function') {
      throw new CurvadRuntimeError(
        'wasm.paths was given but the loaded wasm backend has no setWasmPaths; use @tensorflow/tfjs-backend-wasm >= 3.',
      );
    }
    wasm.setWasmPaths(options.paths);
  }
  if (options?.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new CurvadRuntimeError(`wasm.threads must be a positive integer, got ${options.threads}.`);
    }
    wasm.setThreadsCount?.(options.threads);
  }
}

/**
 * Tries one candidate: imports its package, readies the backend and makes it active. Returns the
 * reason it cannot be used, or undefined when it is now the active backend.
 */
async function tryCandidate(
  candidate: BackendCandidate,
  loaders: BackendLoaders,
  options: InitBackendOptions,
  state: { wasmKernels?: WasmKernelRegistration },
): Promise<string | undefined> {
  const packageName = CANDIDATE_PACKAGES[candidate];
  let module: unknown;
  try {
    module = await loaders[candidate]();
  } catch (error) {
    return isPackageNotInstalled(error, packageName) ? 'not installed' : `failed to load: ${describeError(error)}`;
  }
  const backendName = CANDIDATE_BACKEND_NAMES[candidate];
  if (tf.findBackendFactory(backendName) === null && tf.findBackend(backendName) === null) {
    return `loaded, but it registered no '${backendName}' backend (is it using a different copy of @tensorflow/tfjs-core?)`;
  }
  if (candidate === 'wasm') {
    prepareWasm(module, options.wasm);
    state.wasmKernels = registerWasmTrainingKernels({
      replaceSlowKernels: options.wasm?.replaceSlowKernels ?? true,
      ...(options.wasm?.winograd !== undefined ? { winograd: options.wasm.winograd } : {}),
    });
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(backendName);
    await tf.ready();
  } catch (error) {
    return `failed to initialise: ${describeError(error)}`;
  }
  if (!ok || tf.getBackend() !== backendName) {
    return `failed to initialise (tfjs could not set the '${backendName}' backend; see the warning above)`;
  }
  return undefined;
}

/**
 * Picks and activates a tfjs backend. 'auto' tries tfjs-node-gpu, tfjs-node, wasm (with this
 * package's training kernels registered), then cpu, and takes the first that loads and initialises;
 * the result (and the logged line) says why each better option was skipped. The node packages are
 * optional peers: they are used when installed and reported as 'not installed' otherwise. It also
 * registers the lean Sum, Mean, batch-norm and Relu gradients (registerLeanGradients), on every backend.
 *
 * @throws CurvadRuntimeError when no requested candidate works, listing each reason.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const request = options.backend ?? 'auto';
  const candidates = CANDIDATES[request];
  if (candidates === undefined) {
    throw new CurvadRuntimeError(`Unknown backend '${String(request)}'. Use one of: ${Object.keys(CANDIDATES).join(', ')}.`);
  }
  const loaders: BackendLoaders = { ...defaultBackendLoaders, ...options.loaders };
  const skipped: SkippedCandidate[] = [];
  const state: { wasmKernels?: WasmKernelRegistration } = {};
  for (const candidate of candidates) {
    const reason = await tryCandidate(candidate, loaders, options, state);
    if (reason !== undefined) {
      skipped.push({ candidate, reason });
      continue;
    }
    const backend = CANDIDATE_BACKEND_NAMES[candidate];
    registerLeanGradients();
    const kernels = candidate === 'wasm' ? ' + @curvad/runtime training kernels' : '';
    const skippedText = skipped.length === 0 ? '' : `; skipped ${skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ')}`;
    const summary = `@curvad/runtime: using backend '${backend}' (${CANDIDATE_PACKAGES[candidate]}${kernels})${skippedText}`;
    if (options.log !== false) (options.log ?? console.info)(summary);
    return { backend, candidate, skipped, ...(state.wasmKernels ? { wasmKernels: state.wasmKernels } : {}), summary };
  }
  const install = candidates.map((c) => CANDIDATE_PACKAGES[c]).join(' or ');
  throw new CurvadRuntimeError(
    `No usable tfjs backend for '${request}': ${skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ')}. ` +
      `Install ${install} (tfjs-node needs libtensorflow, which its install script downloads), or ask for 'wasm' or 'cpu'.`,
  );
}
