// Worker-thread side of DataParallelTrainer: rebuilds the model from its topology on its own
// backend, then for every request loads the sent weights and returns its shard's loss and gradients.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/init-backend';
import { type StepRequest, WORKER_ROLE, type WorkerInit, type WorkerReply } from './data-parallel-protocol';
import { type ShardModel, shardGradients, trainableVariables } from './shard-gradients';

const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(reply, transfer);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function serve(init: WorkerInit): Promise<void> {
  await initBackend({ backend: init.backend, log: false });
  const tfl = await import('@tensorflow/tfjs-layers');
  const model = (await tfl.models.modelFromJSON(JSON.parse(init.topology))) as unknown as ShardModel;
  const variables = trainableVariables(model);
  parentPort!.on('message', (request: StepRequest) => {
    try {
      if (request.weights.length !== variables.length) {
        throw new Error(`received ${request.weights.length} weight arrays for ${variables.length} trainable weights`);
      }
      variables.forEach((v, i) => v.assign(tf.tensor(request.weights[i]!, v.shape, 'float32')));
      const x = tf.tensor(request.x.values, request.x.shape, request.x.dtype);
      const y = tf.tensor(request.y.values, request.y.shape, request.y.dtype);
      const { loss, grads } = shardGradients(model, init.loss, x, y);
      // Own copies: on the cpu backend dataSync returns the tensor's storage, which must not be transferred.
      const arrays = grads.map((g) => new Float32Array(g.dataSync()));
      tf.dispose([x, y, ...grads]);
      post(
        { kind: 'step', loss, grads: arrays },
        arrays.map((a) => a.buffer as ArrayBuffer),
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
