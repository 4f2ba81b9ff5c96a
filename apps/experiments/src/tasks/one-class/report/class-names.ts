// Class names for the report's headings and descriptions (the datasets' own label orders).
import type { OneClassConfig } from '../config/one-class-config';

const CLASS_NAMES: Record<OneClassConfig['dataset'], readonly string[]> = {
  'fashion-mnist': ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  cifar10: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
};

/** The name of class `c` of `dataset` ('T-shirt/top'; digits name themselves). */
export function className(dataset: OneClassConfig['dataset'], c: number): string {
  return CLASS_NAMES[dataset][c] ?? String(c);
}

/** A normal class as a column heading: 'digit 3' for MNIST, '0: T-shirt/top' otherwise. */
export function classLabel(dataset: OneClassConfig['dataset'], c: number): string {
  return dataset === 'mnist' ? `digit ${c}` : `${c}: ${className(dataset, c)}`;
}
