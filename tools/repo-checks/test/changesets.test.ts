// Every changeset must be one `changeset version` can read: YAML front matter of `"<package>": <bump>` lines
// between two `---` lines, naming workspace packages, and never mixing a package that config.json ignores
// (the private apps) with published ones (changesets refuses such a file and the release stops).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const changesetDir = join(root, '.changeset');

function workspacePackages(): Set<string> {
  const names = new Set<string>();
  for (const group of ['packages', 'apps', 'tools']) {
    for (const dir of readdirSync(join(root, group))) {
      try {
        names.add(JSON.parse(readFileSync(join(root, group, dir, 'package.json'), 'utf8')).name);
      } catch {
        // not a package folder
      }
    }
  }
  return names;
}

/** The packages and bumps of a changeset, or a sentence saying why it cannot be read. */
function parseChangeset(text: string): { releases: Map<string, string> } | string {
  const lines = text.split('\n');
  if (lines[0] !== '---') return 'the first line must be `---`';
  const end = lines.indexOf('---', 1);
  if (end < 0) return 'the front matter has no closing `---` line';
  const releases = new Map<string, string>();
  for (const line of lines.slice(1, end)) {
    if (line.trim() === '') continue;
    const match = /^"(@?[\w./-]+)": (major|minor|patch)$/.exec(line);
    if (!match) return `front-matter line \`${line}\` is not \`"<package>": major|minor|patch\``;
    releases.set(match[1]!, match[2]!);
  }
  return { releases };
}

describe('changesets', () => {
  const config = JSON.parse(readFileSync(join(changesetDir, 'config.json'), 'utf8')) as { ignore: string[] };
  const known = workspacePackages();
  const files = readdirSync(changesetDir).filter((f) => f.endsWith('.md') && f !== 'README.md');

  it('the parser refuses what changesets refuses', () => {
    expect(parseChangeset('---\n"@curvad/metrics": minor\n---\n\ntext')).toEqual({ releases: new Map([['@curvad/metrics', 'minor']]) });
    expect(parseChangeset('---\n---\n\ntext')).toEqual({ releases: new Map() });
    expect(parseChangeset('---\n\n## "@curvad/metrics": minor\n\ntext')).toMatch(/no closing/);
    expect(parseChangeset('## x')).toMatch(/first line/);
    expect(parseChangeset('---\n"@curvad/metrics": huge\n---\n')).toMatch(/is not/);
  });

  it.each(files)('%s names workspace packages and does not mix ignored and published ones', (file) => {
    const parsed = parseChangeset(readFileSync(join(changesetDir, file), 'utf8'));
    if (typeof parsed === 'string') throw new Error(`.changeset/${file}: ${parsed}`);
    const names = [...parsed.releases.keys()];
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    const ignored = names.filter((n) => config.ignore.includes(n));
    if (ignored.length > 0) expect(names, `${file} mixes ignored ${ignored.join(', ')} with published packages`).toEqual(ignored);
  });
});
