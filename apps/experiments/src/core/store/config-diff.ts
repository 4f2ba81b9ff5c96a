/** One field two configs disagree on: its dotted path and both values (undefined: absent). */
export interface ConfigDifference {
  path: string;
  ours: unknown;
  theirs: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The leaf fields where `ours` and `theirs` differ, as dotted paths (`optimizer.learningRate`,
 * `configurations.0.id.classes`), skipping the top-level keys in `ignore`. Arrays of different
 * length differ as a whole.
 */
export function configDifferences(ours: unknown, theirs: unknown, ignore: readonly string[] = [], prefix = ''): ConfigDifference[] {
  if (isRecord(ours) && isRecord(theirs)) {
    const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
    return keys
      .filter((key) => !(prefix === '' && ignore.includes(key)))
      .flatMap((key) => configDifferences(ours[key], theirs[key], [], prefix ? `${prefix}.${key}` : key));
  }
  if (Array.isArray(ours) && Array.isArray(theirs) && ours.length === theirs.length) {
    return ours.flatMap((value, i) => configDifferences(value, theirs[i], [], prefix ? `${prefix}.${i}` : String(i)));
  }
  return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [{ path: prefix || '(config)', ours, theirs }];
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/** "epochs: 1 here, 3 in the run; optimizer.learningRate: ..." (at most `max` fields, then a count). */
export function describeDifferences(differences: readonly ConfigDifference[], max = 5): string {
  const shown = differences.slice(0, max).map((d) => `${d.path}: ${show(d.ours)} here, ${show(d.theirs)} in the run`);
  const more = differences.length > max ? `; and ${differences.length - max} more` : '';
  return shown.join('; ') + more;
}
