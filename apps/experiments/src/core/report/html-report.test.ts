import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeReport } from '../../write-task-report';
import { resultsFixture } from './results-fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Flags for a closed network and a root user (see the env notes of this project).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curvad-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReport', () => {
  test('writes tables, SVG plots from vega-lite, and a self-contained HTML page', async () => {
    const out = join(dir, 'files');
    const { files, markdown } = await writeReport(out, resultsFixture());
    const names = files.map((f) => f.slice(out.length + 1)).sort();
    expect(names).toEqual([
      'plots/main-embedding-hio.svg',
      'plots/main-roc.svg',
      'plots/main-score-densities.svg',
      'plots/main-training.svg',
      'report.html',
      'tables.csv',
      'tables.md',
    ]);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    // One inline script (table sorting); nothing loaded from elsewhere.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script[^>]*\ssrc=|(src|href)="(https?:)?\/\//);
    expect(html).toContain('fixture &lt;configuration&gt;');
    expect(html).toContain('Failed trials: trial 2 (seed 2): boom');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    const svg = await readFile(join(out, 'plots/main-embedding-hio.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // tables.md opens with the best method per metric, directions respected (FPR: lowest is best).
    expect(markdown).toContain('## Summary\n\n**main**: best method per metric, average over OOD sets (%)');
    expect(markdown).toContain('- FPR (95% TPR) ↓: +HiO (9.0)');
    expect(markdown).toContain('- ID acc. ↑: MSP, ODIN (91.0)');
    expect(markdown).not.toContain('Quick run');
  });

  test('a run without training curves, per-trial plots, clipped counts or data files says what was not recorded', async () => {
    const out = join(dir, 'legacy');
    const { files } = await writeReport(out, resultsFixture({ legacy: true }));
    expect(files.some((f) => f.endsWith('main-training.svg'))).toBe(false);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Training curves: not recorded in this run');
    expect(html).toContain('Plots use trial 0; those of trial 1 were not recorded in this run');
    expect(html).toContain('Data files and their checksums: not recorded in this run.');
    expect(html).toContain('Backend detail</dt><dd>using backend');
    expect(html).toContain('<dt>Backend</dt><dd>wasm</dd>');
    const histograms = await readFile(join(out, 'plots/main-score-densities.svg'), 'utf8');
    expect(histograms).toContain('counted in the end bins (how many: not recorded in this run)');
  });

  test('a configuration without a completed trial says so beside one that has them', async () => {
    const results = resultsFixture();
    results.configurations.push({
      name: 'empty',
      description: 'all failed',
      idDataset: 'x',
      oodSets: ['A'],
      trials: [{ trial: 0, seed: 0, status: 'failed', error: 'NaN loss', wallTimeSec: 0, idAccuracy: {}, methods: [] }],
    });
    const out = join(dir, 'partly-empty');
    const { markdown, files } = await writeReport(out, results);
    expect(files.some((f) => f.includes('plots/empty-'))).toBe(false);
    expect(markdown).toContain('**empty**: best method per metric, average over OOD sets (%)\n\n- no completed trial');
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain(
      '<section id="configuration-empty"><h2>Configuration empty</h2><p>all failed</p><p class="failed">Failed trials: trial 0 (seed 0): NaN loss</p>',
    );
    expect(html).toContain('No completed trial: no table.');
  });

  test('a quick run carries the banner in tables.md', async () => {
    const { markdown } = await writeReport(join(dir, 'quick-md'), resultsFixture({ quick: true }));
    expect(markdown).toContain('> Quick run (--quick)');
    expect(markdown).toContain('not comparable to the full preset');
  });

  const haveChromium = existsSync(CHROMIUM);
  if (!haveChromium)
    console.warn(`skipping the browser checks: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  describe.runIf(haveChromium)('in headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    async function open(name: string, quick: boolean): Promise<{ page: Page; problems: string[] }> {
      const out = join(dir, name);
      await writeReport(out, resultsFixture({ quick }));
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (r) => !r.url().startsWith('file:') && problems.push(`network request: ${r.url()}`));
      await page.goto(pathToFileURL(join(out, 'report.html')).href);
      return { page, problems };
    }

    /** The first-column texts of a table's body rows, in display order. */
    const methodOrder = (page: Page, table: string) => page.locator(`${table} tbody tr td:first-child`).allTextContents();

    test('plots, tables, contents, config, provenance, best cells, sorting; no console errors', async () => {
      const { page, problems } = await open('browser', false);
      expect(await page.locator('figure svg').count()).toBe(4);
      expect(await page.locator('table.sortable').count()).toBe(3);
      const box = await page.locator('figure svg').first().boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(await page.locator('svg .mark-symbol path, svg .mark-area path, svg .mark-line path').count()).toBeGreaterThan(0);
      expect(await page.locator('#quick-banner').count()).toBe(0);

      // Every link of the table of contents lands on an element of the page.
      const targets = await page.locator('nav#contents a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
      expect(targets.length).toBeGreaterThanOrEqual(3 + 1 + 3 + 4);
      for (const href of targets) {
        expect(href.startsWith('#'), href).toBe(true);
        expect(await page.locator(`[id="${href.slice(1)}"]`).count(), href).toBe(1);
      }

      // The resolved config and the provenance, at the top.
      const config = await page.locator('#config dl').textContent();
      for (const text of [
        'Backbone',
        'small-cnn, options {"width":16}',
        'Embedding size',
        '32',
        'adam, learning rate 0.002',
        'learning rate x 0.5 at epochs 2',
        'Batch size',
        '64',
        '1000 training images, 200 ID test images, all images per OOD set',
        'HiO -0.01',
        'Detectors',
      ]) {
        expect(config).toContain(text);
      }
      const provenance = await page.locator('#provenance').textContent();
      for (const text of ['curvad experiment ood --preset fixture', 'wasm: @tensorflow/tfjs-backend-wasm', 'aaaaaaaaaaaa', '47,040,016'])
        expect(provenance).toContain(text);
      expect(provenance).not.toContain('a'.repeat(13));

      // Best cells: +HiO has the highest AUROC and the LOWEST FPR95 (the direction of each metric).
      const average = page.locator('table.sortable').first();
      const header = await average.locator('thead th').allTextContents();
      const bestIn = async (column: string) => {
        const index = header.indexOf(column);
        return average
          .locator('tbody tr')
          .evaluateAll(
            (rows, i) => rows.filter((r) => r.children[i]!.classList.contains('best')).map((r) => r.children[0]!.textContent),
            index,
          );
      };
      expect(await bestIn('AUROC ↑')).toEqual(['+HiO']);
      expect(await bestIn('FPR (95% TPR) ↓')).toEqual(['+HiO']);
      expect(await bestIn('ID acc. ↑')).toEqual(['MSP', 'ODIN']);
      expect(await average.locator('td.best strong').count()).toBeGreaterThanOrEqual(7);

      // Sorting: a click on AUROC orders the rows by it, ascending; a second click, descending.
      const id = `#${await average.getAttribute('id')}`;
      const before = await methodOrder(page, id);
      expect(before[0]).toBe('MSP');
      await average.locator('thead th', { hasText: 'AUROC' }).click();
      const ascending = await methodOrder(page, id);
      expect(ascending[0]).toBe('ODIN');
      expect(ascending.at(-1)).toBe('+HiO');
      const aurocs = await average
        .locator('tbody tr')
        .evaluateAll((rows, i) => rows.map((r) => Number(r.children[i]!.getAttribute('data-sort'))), header.indexOf('AUROC ↑'));
      expect(aurocs).toEqual([...aurocs].sort((a, b) => a - b));
      await average.locator('thead th', { hasText: 'AUROC' }).click();
      expect((await methodOrder(page, id))[0]).toBe('+HiO');
      await average.locator('thead th', { hasText: 'Method' }).click();
      expect(await methodOrder(page, id)).toEqual([...before].sort((a, b) => a.localeCompare(b)));

      // Legends: one distinct colour per entry in every plot, whole labels, AUROC in the ROC legends.
      const legends = await page.locator('figure svg g.role-legend').evaluateAll((nodes) =>
        nodes.map((legend) => ({
          title: legend.querySelector('.role-legend-title text')?.textContent ?? '',
          labels: [...legend.querySelectorAll('.role-legend-label text')].map((t) => t.textContent ?? ''),
          colours: [...legend.querySelectorAll('.role-legend-symbol path')].map((p) => p.getAttribute('stroke') ?? p.getAttribute('fill')),
        })),
      );
      const rocLegends = legends.filter((l) => l.title === 'method (AUROC)');
      expect(rocLegends).toHaveLength(2);
      for (const legend of legends) {
        expect(legend.colours.length, legend.title).toBe(legend.labels.length);
        expect(new Set(legend.colours).size, `${legend.title}: ${legend.colours.join(' ')}`).toBe(legend.labels.length);
      }
      for (const legend of rocLegends) {
        expect(legend.labels).toHaveLength(13);
        for (const label of legend.labels) expect(label).toMatch(/ \(AUROC \d+\.\d%\)$/);
        expect(legend.labels).toContain(
          '+MiT (embedding KL, larger divergence = more anomalous) (AUROC 81.0%)'.replace(
            '81.0',
            legend.labels.at(-1)!.match(/AUROC (\d+\.\d)/)![1]!,
          ),
        );
      }
      expect(rocLegends[0]!.labels[0]).toBe('MSP (AUROC 81.0%)');
      // The chance diagonal in each ROC panel; the band over the two trials.
      expect(await page.locator('figure svg [aria-label="chance diagonal"]').count()).toBe(2);
      expect(await page.locator('#configuration-main-roc svg .mark-area path').count()).toBeGreaterThan(0);
      // Histograms say what lies outside their range; the training curves are drawn.
      expect(await page.locator('#configuration-main-score-densities').textContent()).toContain('A: 0 below (0.0%), 10 above (33.3%)');
      expect(await page.locator('#configuration-main-training svg .mark-line path').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    }, 120_000);

    test('a quick run shows the banner at the top', async () => {
      const { page, problems } = await open('browser-quick', true);
      const banner = page.locator('#quick-banner');
      expect(await banner.isVisible()).toBe(true);
      expect(await banner.textContent()).toContain('not comparable to the full preset');
      const top = await banner.boundingBox();
      const tables = await page.locator('table.sortable').first().boundingBox();
      expect(top!.y).toBeLessThan(tables!.y);
      expect(problems).toEqual([]);
    }, 120_000);
  });
});
