// Worker-thread side of DataParallelTrainer: rebuilds the model from its topology on its own
// backend, then for every request loads the sent weights and returns its shard's loss and gradients.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '@curvad/runtime';
import { type StepRequest, WORKER_ROLE, type WorkerInit, type WorkerReply } from './data-parallel-protocol';
import type { ShardModel } from './shard-gradients';
import { workerStep } from './worker-step';

const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(reply, transfer);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function serve(init: WorkerInit): Promise<void> {
  await initBackend({ backend: init.backend, log: false });
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = (await tfl.models.modelFromJSON(JSON.parse(init.topology))) as unknown as ShardModel;
  parentPort!.on('message', (request: StepRequest) => {
    try {
      const { loss, grads } = workerStep(model, init.loss, request);
      post(
        { kind: 'step', loss, grads },
        grads.map((a) => a.buffer as ArrayBuffer),
      );
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
