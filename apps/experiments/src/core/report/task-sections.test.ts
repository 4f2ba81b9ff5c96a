import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resultsFixture } from './results-fixture';
import type { TaskReportSections } from './task-sections';
import { writeReport } from './write-report';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curvad-task-sections-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The legacy fixture has no plots beyond trial 0: the quickest whole report.
const results = resultsFixture({ legacy: true });

describe("a task's own report sections (Task.reportSections)", () => {
  test('are listed in the contents and placed after the provenance, before the configurations; they get the results folder', async () => {
    const seen: string[] = [];
    const sections: TaskReportSections = async (r, context) => {
      seen.push(`${r.experiment} ${context.resultsDir}`);
      return [
        { id: 'extra-one', title: 'Extra <one>', html: '<p>first</p>' },
        { id: 'extra-two', title: 'Extra two', html: '<p>second</p>' },
      ];
    };
    await writeReport(join(dir, 'with'), results, undefined, { taskSections: sections, resultsDir: '/runs/fixture' });
    expect(seen).toEqual(['fixture /runs/fixture']);
    const html = await readFile(join(dir, 'with', 'report.html'), 'utf8');
    expect(html).toContain(
      '<li><a href="#provenance">Provenance</a></li><li><a href="#extra-one">Extra &lt;one&gt;</a></li><li><a href="#extra-two">Extra two</a></li><li><a href="#configuration-main">',
    );
    expect(html).toContain(
      '</section>\n<section id="extra-one"><h2>Extra &lt;one&gt;</h2><p>first</p></section>\n<section id="extra-two"><h2>Extra two</h2><p>second</p></section>\n<section id="configuration-main">',
    );
  });

  test('the results folder defaults to the report folder; a hook returning none leaves the page byte for byte as without one', async () => {
    const seen: string[] = [];
    await writeReport(join(dir, 'none'), results, undefined, {
      taskSections: async (_r, context) => {
        seen.push(context.resultsDir);
        return [];
      },
    });
    await writeReport(join(dir, 'plain'), results);
    expect(seen).toEqual([join(dir, 'none')]);
    expect(await readFile(join(dir, 'none', 'report.html'), 'utf8')).toBe(await readFile(join(dir, 'plain', 'report.html'), 'utf8'));
  });
});
