import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniformStream } from '@curvad/seeded-random';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';

// Looks the modules up without importing them (importing sklearn takes seconds).
const FIND_SKLEARN = "import importlib.util as u, sys; sys.exit(0 if u.find_spec('sklearn') and u.find_spec('numpy') else 1)";

/** A python3 that imports sklearn: the one on PATH, else Debian's (python3-sklearn) when PATH has another. */
function findSklearnPython(): { python?: string; reason: string } {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', FIND_SKLEARN], { stdio: 'ignore', timeout: 60_000 });
      return { python: candidate, reason: '' };
    } catch {
      // try the next candidate
    }
  }
  return { reason: 'no python3 with scikit-learn and numpy (tried python3, /usr/bin/python3); install python3-sklearn' };
}

const { python, reason } = findSklearnPython();
if (!python) console.log(`[metrics] skipping the scikit-learn comparison: ${reason}`);

// FPR95 and detection error through sklearn's full ROC curve with normal as positive on -score:
// the first point with TPR >= 0.95 is the strictest threshold, as our definition.
const SCRIPT = `
import json, sys
import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score, roc_curve
data = np.fromfile(sys.argv[1], dtype='<f8').reshape(2, -1)
s, y = data[0], data[1].astype(int)
fpr, tpr, _ = roc_curve(1 - y, -s, drop_intermediate=False)
print(json.dumps({
  "auroc": roc_auc_score(y, s),
  "auprIn": average_precision_score(1 - y, -s),
  "auprOut": average_precision_score(y, s),
  "fpr95": float(fpr[np.argmax(tpr >= 0.95)]),
  "detectionError": float(min(0.5, np.min(0.5 * (1 - tpr) + 0.5 * fpr))),
}))
`;

describe('agreement with scikit-learn', () => {
  it.skipIf(!python)('on 20 000 samples with heavy ties (fixed data file written by this test)', () => {
    const n = 20_000;
    const next = createUniformStream(42);
    const data = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const y = next() < 0.2 ? 1 : 0;
      // Rounded to 1/64 so most scores are shared by many samples of both classes.
      data[i] = Math.round((next() + next() + 0.6 * y) * 64) / 64;
      data[n + i] = y;
    }
    const dir = mkdtempSync(join(tmpdir(), 'curvad-metrics-'));
    try {
      const file = join(dir, 'scores-labels.f64');
      writeFileSync(file, new Uint8Array(data.buffer));
      const out = execFileSync(python!, ['-c', SCRIPT, file], { encoding: 'utf8', timeout: 60_000 });
      const reference = JSON.parse(out) as Record<string, number>;
      const ours = evaluate(data.subarray(0, n), data.subarray(n));
      for (const key of ['auroc', 'auprIn', 'auprOut', 'fpr95', 'detectionError'] as const) {
        expect(ours[key], key).toBeCloseTo(reference[key]!, 12);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
