// Benchmark: @curvad/metrics `evaluate` on 10 million scores, next to one Float64Array.sort of the
// same data and scikit-learn's roc_auc_score + average_precision_score (when a python3 has sklearn).
//
//   cd packages/metrics && pnpm build && cd ../.. && node tools/bench/metrics-evaluate.mjs [--n 10000000] [--repeats 5] [--sklearn-repeats 3]
//
// Data: labels Bernoulli(0.3) (1 = anomalous), scores N(0, 1) + 1.2 * label in float64, so nearly
// every score is distinct (the most groups, the slowest case); a second evaluate row uses the same
// scores rounded to a Float32Array. Times are wall-clock, the minimum and median over the repeats;
// sklearn is timed inside python, after loading the data.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const distEntry = join(here, '../../packages/metrics/dist/index.js');
if (!existsSync(distEntry)) {
  console.error(`metrics-evaluate: ${distEntry} is missing; run \`cd packages/metrics && pnpm build\` first.`);
  process.exit(1);
}
const { evaluate } = await import(pathToFileURL(distEntry).href);

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const n = option('n', 10_000_000);
const repeats = option('repeats', 5);
const sklearnRepeats = option('sklearn-repeats', 3);
const ANOMALY_RATE = 0.3;
const SEPARATION = 1.2;

// Seeded data (LCG + Box-Muller), so every run benchmarks the same numbers.
let state = 12345;
const uniform = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return (state + 0.5) / 4294967296;
};
const scores = new Float64Array(n);
const labels = new Uint8Array(n);
for (let i = 0; i < n; i++) {
  labels[i] = uniform() < ANOMALY_RATE ? 1 : 0;
  const gaussian = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  scores[i] = gaussian + SEPARATION * labels[i];
}

// The JS rows run interleaved (one of each per round), so a burst of other work on the machine
// hits all of them alike; each row reports its minimum and median over the rounds.
const scores32 = new Float32Array(scores); // as a tfjs model would return them: the 32-bit sort path
const rows = {
  evaluate: { run: () => evaluate(scores, labels), times: [] },
  evaluate32: { run: () => evaluate(scores32, labels), times: [] },
  nativeSort: { run: (copy) => copy.sort(), times: [], needsCopy: true },
};
let lastMetrics;
for (let r = 0; r < repeats; r++) {
  for (const [name, row] of Object.entries(rows)) {
    const copy = row.needsCopy ? scores.slice() : undefined;
    const t0 = performance.now();
    const result = row.run(copy);
    row.times.push((performance.now() - t0) / 1000);
    if (name === 'evaluate') lastMetrics = result;
  }
}
function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}
const ours = { ...summary(rows.evaluate.times), result: lastMetrics };
const ours32 = summary(rows.evaluate32.times);
const nativeSort = summary(rows.nativeSort.times);

const FIND_SKLEARN = "import importlib.util as u, sys; sys.exit(0 if u.find_spec('sklearn') and u.find_spec('numpy') else 1)";
function findPython() {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', FIND_SKLEARN], { stdio: 'ignore' });
      return candidate;
    } catch {
      // next candidate
    }
  }
  return undefined;
}

const SKLEARN_SCRIPT = `
import json, sys, time
import numpy as np, sklearn
from sklearn.metrics import roc_auc_score, average_precision_score
n, repeats = int(sys.argv[2]), int(sys.argv[3])
s = np.fromfile(sys.argv[1], dtype='<f8', count=n)
y = np.fromfile(sys.argv[1], dtype=np.uint8, offset=8 * n)
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    auc = roc_auc_score(y, s)
    ap = average_precision_score(y, s)
    times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({"min": times[0], "median": times[len(times) // 2], "auroc": auc, "auprOut": ap,
                  "version": sklearn.__version__, "numpy": np.__version__}))
`;

let sklearn;
const python = findPython();
if (python) {
  const dir = mkdtempSync(join(tmpdir(), 'curvad-bench-metrics-'));
  try {
    const file = join(dir, 'scores-labels.bin');
    const bytes = new Uint8Array(9 * n);
    bytes.set(new Uint8Array(scores.buffer), 0);
    bytes.set(labels, 8 * n);
    writeFileSync(file, bytes);
    const out = execFileSync(python, ['-c', SKLEARN_SCRIPT, file, String(n), String(sklearnRepeats)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    sklearn = JSON.parse(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (t) => `${t.min.toFixed(3)} s | ${t.median.toFixed(3)} s`;
console.log(`# @curvad/metrics evaluate benchmark`);
console.log(
  `n = ${n.toLocaleString('en-US')} float64 scores (${ANOMALY_RATE * 100}% anomalous), ${repeats} interleaved ` +
    `rounds (scikit-learn: ${sklearnRepeats} repeats), ` +
    `node ${process.version}, ${cpus().length} cpu(s) (${cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}`,
);
// Other work on the machine slows every row; the load average says how busy it was.
console.log(
  `load average at the end (1, 5, 15 min): ${loadavg()
    .map((l) => l.toFixed(1))
    .join(', ')}`,
);
console.log('');
console.log('| what | min | median |');
console.log('| --- | --- | --- |');
console.log(`| evaluate (AUROC, AUPR-In, AUPR-Out, FPR95, detection error) | ${fmt(ours)} |`);
console.log(`| evaluate on the scores rounded to a Float32Array (32-bit sort) | ${fmt(ours32)} |`);
console.log(`| one Float64Array.prototype.sort of the same scores | ${fmt(nativeSort)} |`);
if (sklearn) {
  console.log(`| scikit-learn ${sklearn.version} roc_auc_score + average_precision_score (numpy ${sklearn.numpy}) | ${fmt(sklearn)} |`);
}
console.log('');
const m = ours.result;
console.log(
  `evaluate: auroc ${m.auroc.toFixed(6)}, auprIn ${m.auprIn.toFixed(6)}, auprOut ${m.auprOut.toFixed(6)}, ` +
    `fpr95 ${m.fpr95.toFixed(6)}, detectionError ${m.detectionError.toFixed(6)}`,
);
if (sklearn) {
  const agree = Math.abs(sklearn.auroc - m.auroc) < 1e-9 && Math.abs(sklearn.auprOut - m.auprOut) < 1e-9;
  console.log(
    `scikit-learn: auroc ${sklearn.auroc.toFixed(6)}, auprOut ${sklearn.auprOut.toFixed(6)} ` +
      `(${agree ? 'agrees with evaluate to 1e-9' : 'DISAGREES with evaluate'})`,
  );
  console.log(
    `evaluate is ${(sklearn.median / ours.median).toFixed(1)}x faster than the scikit-learn pair (medians); ` +
      `target met: ${ours.median < sklearn.median ? 'yes' : 'no'}`,
  );
  if (!agree) process.exitCode = 1;
} else {
  console.log('scikit-learn: skipped (no python3 with scikit-learn and numpy; tried python3, /usr/bin/python3)');
}
