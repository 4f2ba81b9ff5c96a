// Helpers the benchmarks that compare against PyTorch share (train-throughput, simd-peak). Not a
// benchmark itself (run.mjs lists *.mjs only).
import { spawn, spawnSync } from 'node:child_process';

/** `--key value` pairs into { key: value }. */
export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

/** The median (the mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The first of `preferred`, $PYTHON, python3 and /usr/bin/python3 that imports torch, or undefined. */
export function findPythonWithTorch(preferred) {
  for (const python of [preferred, process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
}

/**
 * Never return freed memory to the OS: every allocation below 2 GiB comes from the heap (not its
 * own mmap), and the heap is never trimmed. Costs resident memory, saves a page fault per 4 KiB
 * of every activation at every step (page faults are expensive on this VM).
 */
export const TORCH_MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=2147483647:glibc.malloc.trim_threshold=4294967295';

/**
 * A child process speaking JSON lines: one object per line on its stdout, the first a hello, then
 * one reply per request written to its stdin. Resolves once the hello has arrived.
 */
export async function startJsonLinesChild(command, args, env) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env });
  const pending = [];
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      pending.shift()?.(JSON.parse(line));
    }
  });
  const next = () => new Promise((resolve) => pending.push(resolve));
  const hello = await next();
  return {
    hello,
    request: (message) => {
      const reply = next();
      child.stdin.write(`${JSON.stringify(message)}\n`);
      return reply;
    },
    close: () => child.stdin.end(),
  };
}
