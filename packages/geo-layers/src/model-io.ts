// Save and load a LayersModel (with or without geometric layers) as model.json + weights.bin on
// plain Node file I/O. tfjs' `file://` handler exists only in tfjs-node, which cannot be installed
// everywhere (notes/tfjs-ecosystem.md 0.1, 4); this works on every backend (cpu, wasm, webgl, node).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { GeoLayersError } from './errors';
// The layer classes must be registered before a model that uses them is deserialized.
import './register-layers';

/**
 * Node's fs and path, imported when a model is saved or loaded rather than with the package, so the
 * layers and heads also bundle for the browser (where only these two functions are unavailable).
 */
async function nodeModules() {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Bytes per stored element for each weight dtype tfjs writes (quantized weights use their own). */
const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

export interface SavedModelInfo {
  dir: string;
  modelPath: string;
  weightsPath: string;
  weightBytes: number;
}

/** Write `data` to `path` atomically: a unique temporary file in the same folder, then rename. */
async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const { fs } = await nodeModules();
  const temporary = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await fs.writeFile(temporary, data);
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Save `model` to the folder `dir` (created if missing) as `model.json` (topology, weights manifest,
 * user metadata such as the geo-head description) and `weights.bin`. Each file is written to a
 * temporary name and renamed into place, weights first, so a reader never sees a half-written file
 * and `model.json` only ever points at complete weights.
 */
export async function saveModel(model: tfl.LayersModel, dir: string): Promise<SavedModelInfo> {
  const { fs, path } = await nodeModules();
  const folder = path.resolve(dir);
  await fs.mkdir(folder, { recursive: true });
  const modelPath = path.join(folder, MODEL_FILE);
  const weightsPath = path.join(folder, WEIGHTS_FILE);
  let weightBytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.modelTopology === undefined || artifacts.weightSpecs === undefined) {
        throw new GeoLayersError('saveModel: tfjs produced no topology or weight specs; is this a LayersModel?');
      }
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      weightBytes = weights.byteLength;
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
      };
      if (artifacts.userDefinedMetadata !== undefined) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
      await writeAtomically(weightsPath, weights);
      await writeAtomically(modelPath, JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return { dir: folder, modelPath, weightsPath, weightBytes };
}

function expectedBytes(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = BYTES_PER_ELEMENT[dtype];
  if (size === undefined) throw new GeoLayersError(`loadModel: weight '${spec.name}' has unsupported dtype '${dtype}'.`);
  return count * size;
}

async function readModelJson(modelPath: string): Promise<tf.io.ModelJSON> {
  const { fs } = await nodeModules();
  let text: string;
  try {
    text = await fs.readFile(modelPath, 'utf8');
  } catch (error) {
    throw new GeoLayersError(`loadModel: cannot read ${modelPath}; pass the folder saveModel wrote.`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GeoLayersError(`loadModel: ${modelPath} is not valid JSON (truncated or corrupt); save the model again.`, {
      cause: error,
    });
  }
  const json = parsed as Partial<tf.io.ModelJSON> | null;
  if (json === null || typeof json !== 'object' || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new GeoLayersError(`loadModel: ${modelPath} has no modelTopology; it is not a tfjs layers model.`);
  }
  if (!Array.isArray(json.weightsManifest)) {
    throw new GeoLayersError(`loadModel: ${modelPath} has no weightsManifest; it is not a tfjs layers model.`);
  }
  return json as tf.io.ModelJSON;
}

/**
 * Load a model saved by `saveModel` (or any tfjs layers model folder whose weights files sit beside
 * model.json). Importing @curvad/geo-layers registers its layer classes, which tfjs needs to rebuild
 * the model (`loadLayersModel` ignores customObjects). Sizes are checked against the manifest, so a
 * truncated weights file fails with a clear message instead of garbage weights.
 */
export async function loadModel(dir: string): Promise<tfl.LayersModel> {
  const { fs, path } = await nodeModules();
  const folder = path.resolve(dir);
  const modelPath = path.join(folder, MODEL_FILE);
  const modelJson = await readModelJson(modelPath);
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      let groupBytes = 0;
      for (const weightsPath of group.paths) {
        const file = path.resolve(folder, weightsPath);
        if (!file.startsWith(folder + path.sep)) {
          throw new GeoLayersError(`loadModel: weights path '${weightsPath}' points outside ${folder}; refusing to read it.`);
        }
        let data: Buffer;
        try {
          data = await fs.readFile(file);
        } catch (error) {
          throw new GeoLayersError(`loadModel: cannot read weights file ${file} listed in ${modelPath}.`, {
            cause: error,
          });
        }
        groupBytes += data.byteLength;
        buffers.push(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
      }
      const needed = group.weights.reduce((sum, spec) => sum + expectedBytes(spec), 0);
      if (groupBytes !== needed) {
        throw new GeoLayersError(
          `loadModel: the weights files [${group.paths.join(', ')}] hold ${groupBytes} bytes but ${modelPath} ` +
            `describes ${needed}; the files are truncated or do not belong together. Save the model again.`,
        );
      }
      specs.push(...group.weights);
    }
    return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
  });
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GeoLayersError(
      `loadModel: tfjs could not rebuild the model in ${folder}: ${reason}. If it names an unknown class, ` +
        "import the package that defines that layer before loading (import '@curvad/geo-layers' registers the geo layers).",
      { cause: error },
    );
  }
}
