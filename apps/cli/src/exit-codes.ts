/** The process exit codes of `curvad`, documented in the README. */
export const EXIT_CODES = {
  ok: 0,
  /** An unexpected error (a bug): the stack is printed. */
  unexpected: 1,
  /** A user mistake: bad option, unknown preset, missing data or results file. One sentence says what to do. */
  usage: 2,
  /** The run finished but some trials failed; they are recorded in results.json and `--resume` reruns them. */
  trialsFailed: 3,
  /** Stopped by Ctrl-C (128 + SIGINT, the shell convention). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
