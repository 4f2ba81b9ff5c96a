import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resultsFixture } from './results-fixture';
import { writeReport } from './write-report';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// Flags for a closed network and a root user (see the env notes of this project).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curvad-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReport', () => {
  test('writes tables, SVG plots from vega-lite, and a self-contained HTML page', async () => {
    const { files } = await writeReport(dir, resultsFixture());
    const names = files.map((f) => f.slice(dir.length + 1)).sort();
    expect(names).toEqual(['plots/main-embedding-hio.svg', 'plots/main-roc.svg', 'plots/main-score-densities.svg', 'report.html', 'tables.csv', 'tables.md']);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|src="http|href="http/);
    expect(html).toContain('fixture &lt;configuration&gt;');
    expect(html).toContain('Failed trials: trial 2 (seed 2): boom');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
    const svg = await readFile(join(dir, 'plots/main-embedding-hio.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
  });

  const haveChromium = existsSync(CHROMIUM);
  if (!haveChromium) console.warn(`skipping the browser check: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  test.runIf(haveChromium)('opens in headless Chromium without console errors, plots and tables present', async () => {
    await writeReport(dir, resultsFixture());
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(pathToFileURL(join(dir, 'report.html')).href);
      expect(await page.locator('figure svg').count()).toBe(3);
      expect(await page.locator('table').count()).toBe(3);
      const box = await page.locator('figure svg').first().boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(await page.locator('svg .mark-symbol path, svg .mark-area path, svg .mark-line path').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
