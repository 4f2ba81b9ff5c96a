// A child's loaded configuration data, kept between the units it runs. Keyed by (task, config
// hash, configuration): the config decides what is loaded (datasets, limits, standardization), so
// a unit of another run or another configuration loads its own. Loading is deterministic (no
// seed), so a cached configuration gives the same arrays a fresh load would.
import { createHash } from 'node:crypto';
import { stableJson } from './stable-json';

/**
 * Configurations kept at once. Units are queued configuration by configuration, so consecutive
 * units of a slot share one; a configuration's images can be hundreds of MB (CIFAR), so one.
 */
export const CACHED_CONFIGURATIONS = 1;

/** Config fields that do not change the loaded data (the number of trials). */
const NOT_IN_DATA_KEY = ['trials'] as const;

/** The cache key of a configuration's data: task, a hash of the config (without `trials`), configuration. */
export function dataKey(task: string, config: Record<string, unknown>, configuration: string): string {
  const relevant = { ...config };
  for (const key of NOT_IN_DATA_KEY) delete relevant[key];
  const hash = createHash('sha256').update(stableJson(relevant)).digest('hex').slice(0, 16);
  return `${task}/${hash}/${configuration}`;
}

export class UnitDataCache<Data> {
  private readonly entries = new Map<string, Data>();

  constructor(private readonly capacity = CACHED_CONFIGURATIONS) {}

  /** The data under `key`, loading (and keeping) it when absent; `cached` says whether it was kept. */
  async get(key: string, load: () => Promise<Data>): Promise<{ data: Data; cached: boolean }> {
    const kept = this.entries.get(key);
    if (kept !== undefined) {
      // Most recently used last, so eviction drops the oldest.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return { data: kept, cached: true };
    }
    const data = await load();
    this.entries.set(key, data);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return { data, cached: false };
  }

  get size(): number {
    return this.entries.size;
  }
}
