import type { MethodResult, ResultsFile, TrialResult } from '../results/results-file';

/** The 11 methods added to MSP and +HiO (13 in all, more than vega's 10 default colours), with their models. */
const MORE_METHODS: [string, string][] = [
  ['ODIN', 'baseline'],
  ['+SiO', 'SiO'],
  ['ODIN +HiO', 'HiO'],
  ['+MiO', 'MiO'],
  ['+SiT', 'SiT'],
  ['+SiT (text: 1 - tanh z)', 'SiT'],
  ['+HiT', 'HiT'],
  ['+HiT (text: 1 - tanh z)', 'HiT'],
  ['+MiT', 'MiT'],
  ['+MiT (text: 1 - tanh z)', 'MiT'],
  ['+MiT (embedding KL, larger divergence = more anomalous)', 'MiT'],
];
const ID_ACCURACY: Record<string, number> = { baseline: 0.9, HiO: 0.88, SiO: 0.87, MiO: 0.86, SiT: 0.85, HiT: 0.84, MiT: 0.83 };

export interface FixtureOptions {
  /** A `--quick` run (flagged, named `fixture-quick`). */
  quick?: boolean;
  /** As written before plots of every trial, training curves, clipped counts and provenance were recorded. */
  legacy?: boolean;
}

/**
 * A small, hand-made results file for report tests: two completed trials and a failed one, 13 methods
 * on two OOD sets (MSP and +HiO first; +HiO is best on every OOD metric, MSP and ODIN share the best ID
 * accuracy), plots and training curves in every completed trial.
 */
export function resultsFixture(options: FixtureOptions = {}): ResultsFile {
  const metrics = (auroc: number) => ({
    auroc,
    auprIn: auroc - 0.01,
    auprOut: auroc - 0.02,
    fpr95: 1 - auroc,
    detectionError: (1 - auroc) / 2,
  });
  const trial = (t: number, shift: number): TrialResult => {
    const methods: MethodResult[] = [
      { method: 'MSP', model: 'baseline', score: 'maxSoftmaxScore', perOod: { A: metrics(0.8 + shift), B: metrics(0.9 + shift) } },
      { method: '+HiO', model: 'HiO', score: 'hyperbolicScore', perOod: { A: metrics(0.85 + shift), B: metrics(0.95 + shift) } },
      ...MORE_METHODS.map(([method, model], i) => ({
        method,
        model,
        score: 'fixture',
        perOod: { A: metrics(0.6 + 0.02 * i + shift), B: metrics(0.65 + 0.02 * i + shift) },
      })),
    ];
    const idAccuracy = Object.fromEntries(Object.entries(ID_ACCURACY).map(([model, a]) => [model, a + shift]));
    const roc = methods.flatMap((m) =>
      (['A', 'B'] as const).map((set) => {
        // A three-point curve whose area is the method's AUROC: (0,0) -> (0, 2a-1) -> (1,1).
        const a = m.perOod[set]!.auroc;
        return { method: m.method, oodSet: set, fpr: [0, 0, 1], tpr: [0, 2 * a - 1, 1], ...(options.legacy ? {} : { auroc: a }) };
      }),
    );
    const clipped = options.legacy ? {} : { clipped: { below: { ID: 3, A: 0, B: 1 }, above: { ID: 0, A: 5, B: 2 } } };
    const histograms = ['MSP', '+HiO', '+MiT'].map((method) => ({
      method,
      edges: [0, 0.5, 1],
      counts: { ID: [8, 2], A: [3, 7], B: [1, 9] },
      ...clipped,
    }));
    const training = Object.fromEntries(
      ['baseline', 'HiO'].map((model, m) => [
        model,
        [0, 1, 2].map((epoch) => ({
          epoch,
          loss: (2 + m) / (epoch + 1) + shift,
          seconds: 1,
          idAccuracy: 0.6 + 0.1 * epoch - 0.05 * m + shift,
        })),
      ]),
    );
    const plotted = !options.legacy || t === 0;
    return {
      trial: t,
      seed: t,
      status: 'completed',
      wallTimeSec: 10,
      idAccuracy,
      ...(options.legacy ? {} : { training }),
      methods,
      ...(plotted
        ? {
            plots: {
              histograms,
              roc,
              embeddings:
                t === 0
                  ? [
                      {
                        model: 'HiO',
                        geometry: 'poincare' as const,
                        radius: 10,
                        points: [
                          { x: 1, y: 2, set: 'ID' },
                          { x: -3, y: 0.5, set: 'A' },
                        ],
                      },
                    ]
                  : [],
            },
          }
        : {}),
    };
  };
  return {
    schemaVersion: 1,
    experiment: options.quick ? 'fixture-quick' : 'fixture',
    ...(options.quick ? { quick: true } : {}),
    command: `curvad experiment ood --preset fixture${options.quick ? ' --quick' : ''}`,
    config: {
      name: 'fixture',
      configurations: [
        {
          name: 'main',
          description: 'fixture <configuration>',
          id: { dataset: 'fashion-mnist' },
          ood: [
            { kind: 'dataset', name: 'A', dataset: 'mnist' },
            { kind: 'noise', name: 'B', noise: 'gaussian', count: 100 },
          ],
        },
      ],
      backbone: { name: 'small-cnn', options: { width: 16 } },
      embeddingDim: 32,
      models: ['baseline', 'SiO', 'HiO', 'MiO', 'SiT', 'HiT', 'MiT'],
      epochs: 3,
      batchSize: 64,
      trials: 3,
      optimizer: { name: 'adam', learningRate: 0.002, milestones: [2], gamma: 0.5 },
      limits: { train: 1000, test: 200 },
    },
    seeds: [0, 1, 2],
    backend: options.legacy
      ? "@curvad/runtime: using backend 'wasm' (@tensorflow/tfjs-backend-wasm); skipped tfjs-node: not installed"
      : 'wasm',
    ...(options.legacy
      ? {}
      : { backendDetail: 'wasm: @tensorflow/tfjs-backend-wasm with the @curvad/runtime training kernels; tfjs-node is not installed' }),
    ...(options.legacy
      ? {}
      : {
          dataFiles: [
            {
              configuration: 'main',
              part: 'train',
              path: '/data/fashion-mnist/train-images-idx3-ubyte',
              bytes: 47040016,
              sha256: 'a'.repeat(64),
            },
          ],
        }),
    versions: { node: 'v20' },
    gitCommit: null,
    startedAt: '2026-11-29T00:00:00.000Z',
    updatedAt: '2026-11-29T00:10:00.000Z',
    wallTimeSec: 600,
    complete: false,
    configurations: [
      {
        name: 'main',
        description: 'fixture <configuration>',
        idDataset: 'fixture-id',
        oodSets: ['A', 'B'],
        trials: [
          trial(0, 0),
          trial(1, 0.02),
          { trial: 2, seed: 2, status: 'failed', error: 'boom', wallTimeSec: 0, idAccuracy: {}, methods: [] },
        ],
      },
    ],
  };
}
