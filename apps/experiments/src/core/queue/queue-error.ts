import { ExperimentError } from '../../experiment-error';

/**
 * A problem with the job queue the user can fix: a malformed queue URL, a Redis server that cannot
 * be reached or refuses the password, a results folder the workers cannot see. An ExperimentError,
 * so the CLI prints it as one sentence (exit 2).
 */
export class QueueError extends ExperimentError {
  override readonly name: string = 'QueueError';
}
