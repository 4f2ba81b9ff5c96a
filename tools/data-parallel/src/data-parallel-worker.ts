// Worker-thread side of DataParallelTrainer: rebuilds the model from its topology on its own
// backend, then for every request loads the weights from shared memory and writes its shard's
// scaled gradients back into shared memory.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, registerLeanGradients } from '@curvad/runtime';
import { type StepRequest, WORKER_ROLE, type WorkerInit, type WorkerReply } from './data-parallel-protocol';
import type { ShardModel } from './shard-gradients';
import { workerStep } from './worker-step';

const post = (reply: WorkerReply) => parentPort!.postMessage(reply);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function serve(init: WorkerInit): Promise<void> {
  await initBackend({ backend: init.backend, log: false });
  const tfl = await import('@tensorflow/tfjs-layers');
  // Importing tfjs-layers registers tfjs' own gradients again, over the lean ones initBackend set.
  registerLeanGradients();
  for (const module of init.modules) await import(module);
  const model = (await tfl.models.modelFromJSON(JSON.parse(init.topology))) as unknown as ShardModel;
  const weights = new Float32Array(init.weights);
  const grads = new Float32Array(init.grads);
  parentPort!.on('message', (request: StepRequest) => {
    try {
      post({ kind: 'step', ...workerStep(model, init.loss, weights, grads, request) });
    } catch (error) {
      post({ kind: 'error', message: messageOf(error) });
    }
  });
  post({ kind: 'ready' });
}

const init = workerData as WorkerInit | undefined;
if (parentPort !== null && init?.role === WORKER_ROLE) {
  serve(init).catch((error: unknown) => post({ kind: 'error', message: messageOf(error) }));
}
