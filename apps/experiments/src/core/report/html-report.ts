import type { ResultsFile } from '../results/results-file';
import { METRIC_TITLES } from '../results/summarize';
import type { BestMethod } from './best-methods';
import { type ConfigFacts, dataFileRows, type Fact, isQuickRun, NOT_RECORDED, provenanceFacts, resolvedConfigFacts } from './run-facts';
import { SORTABLE_TABLES_SCRIPT } from './sortable-script';
import type { Table } from './tables';
import type { TaskReportSection } from './task-sections';

export interface ReportSection {
  configuration: string;
  /** Anchor of the section (unique in the page). */
  id: string;
  description: string;
  tables: Table[];
  /** The best method per metric on the average over OOD sets (the summary at the top). */
  best: BestMethod[];
  /** Inline SVG figures with captions. */
  figures: { id: string; heading: string; caption: string; svg: string }[];
  /** What was not recorded and so is not drawn. */
  notes: string[];
  failures: { trial: number; seed: number; error: string }[];
}

export function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export const QUICK_BANNER =
  'Quick run (--quick): one trial, one epoch, a subset of the data. A smoke test of the pipeline: its numbers are not comparable to the full preset or to the paper.';

/** A table in the report's style: sortable by clicking a header, the best cell of each column bold on green. */
export function tableHtml(t: Table): string {
  const head = `<tr>${t.header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  // A column with a number in any row sorts by number ('-' cells last); the others by their text.
  const numeric = t.header.map((_, j) => t.values?.some((row) => typeof row[j] === 'number') ?? false);
  const body = t.rows
    .map((r, i) => {
      const cells = r.map((c, j) => {
        const sort = numeric[j] ? ` data-sort="${t.values?.[i]?.[j] ?? ''}"` : '';
        return t.best?.[i]?.[j] ? `<td class="best"${sort}><strong>${escapeHtml(c)}</strong></td>` : `<td${sort}>${escapeHtml(c)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table class="sortable"${t.id ? ` id="${escapeHtml(t.id)}"` : ''}><caption>${escapeHtml(t.title)}</caption>\n<thead>${head}</thead>\n<tbody>${body}</tbody></table>`;
}

function factList(facts: Fact[]): string {
  return `<dl>${facts.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd${f.note ? ' class="missing"' : ''}>${escapeHtml(f.value)}</dd>`).join('')}</dl>`;
}

function bestTitle(metric: BestMethod['metric']): string {
  return metric === 'idAccuracy' ? 'ID acc. ↑' : METRIC_TITLES[metric];
}

function summaryHtml(sections: ReportSection[]): string {
  const parts = sections.map((s) => {
    if (s.best.length === 0)
      return `<h3>${escapeHtml(s.configuration)}</h3><p class="missing">No completed trial: nothing to summarize.</p>`;
    const rows = s.best
      .map(
        (b) =>
          `<tr><td>${escapeHtml(bestTitle(b.metric))}</td><td>${escapeHtml(b.methods.join(', '))}</td><td>${(100 * b.cell.mean).toFixed(1)}${b.cell.std === null ? '' : ` +- ${(100 * b.cell.std).toFixed(1)}`}</td></tr>`,
      )
      .join('');
    return `<h3><a href="#${s.id}">${escapeHtml(s.configuration)}</a></h3><table class="best-summary"><caption>Best method per metric, average over OOD sets (mean over ${s.best[0]!.cell.n} trial(s), %)</caption><thead><tr><th>Metric</th><th>Best</th><th>Value</th></tr></thead><tbody>${rows}</tbody></table>`;
  });
  return `<section id="summary"><h2>Summary</h2>${parts.join('\n')}</section>`;
}

function dataFilesHtml(results: ResultsFile): string {
  const rows = dataFileRows(results.dataFiles);
  if (!rows) return `<p class="missing">Data files and their checksums: ${NOT_RECORDED}.</p>`;
  if (rows.length === 0) return '<p>Data files: none read (generated data only).</p>';
  const body = rows
    .map((r) => `<tr>${[r.configuration, r.part, r.path, r.bytes, r.sha256].map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table id="data-files"><caption>Data files read (SHA-256 shortened to 12 characters; the full hash is in results.json)</caption><thead><tr><th>Configuration</th><th>Part</th><th>Path</th><th>Bytes</th><th>SHA-256</th></tr></thead><tbody>${body}</tbody></table>`;
}

function contentsHtml(sections: ReportSection[], taskSections: TaskReportSection[]): string {
  const task = taskSections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`).join('');
  const entries = sections.map((s) => {
    const children = [
      ...s.tables.map((t) => `<li><a href="#${escapeHtml(t.id ?? '')}">${escapeHtml(t.title.split('; ')[0]!)}</a></li>`),
      ...s.figures.map((f) => `<li><a href="#${f.id}">${escapeHtml(f.heading)}</a></li>`),
    ];
    return `<li><a href="#${s.id}">Configuration ${escapeHtml(s.configuration)}</a>${children.length ? `<ol>${children.join('')}</ol>` : ''}</li>`;
  });
  return `<nav id="contents"><h2>Contents</h2><ol><li><a href="#summary">Summary</a></li><li><a href="#config">Resolved config</a></li><li><a href="#provenance">Provenance</a></li>${task}${entries.join('')}</ol></nav>`;
}

function sectionHtml(s: ReportSection): string {
  const failures = s.failures.length
    ? `<p class="failed">Failed trials: ${s.failures.map((f) => `trial ${f.trial} (seed ${f.seed}): ${escapeHtml(f.error)}`).join('; ')}</p>`
    : '';
  const notes = s.notes.map((n) => `<p class="missing">${escapeHtml(n)}</p>`).join('\n');
  const tables = s.tables.length ? s.tables.map(tableHtml).join('\n') : '<p class="missing">No completed trial: no table.</p>';
  const figures = s.figures
    .map((f) => `<figure id="${f.id}">${f.svg}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`)
    .join('\n');
  return `<section id="${s.id}"><h2>Configuration ${escapeHtml(s.configuration)}</h2><p>${escapeHtml(s.description)}</p>${failures}\n${tables}\n${notes}\n${figures}</section>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:1300px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right;white-space:nowrap}th:first-child,td:first-child{text-align:left;white-space:normal}
table.best-summary td,table.best-summary th{text-align:left}
table.sortable th{cursor:pointer;background:#f4f4f4}table.sortable th[aria-sort=ascending]::after{content:" ▲"}table.sortable th[aria-sort=descending]::after{content:" ▼"}
td.best{background:#e3f2e1}figure{margin:1.5em 0;overflow-x:auto}figcaption{font-size:.9em;color:#555}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}
.failed{color:#a00}.missing{color:#8a5a00;font-style:italic}
.banner{border:2px solid #c77700;background:#fff4e0;padding:.6em 1em;font-weight:600}
pre{background:#f7f7f7;padding:.6em;overflow-x:auto;font-size:.85em}`;

function taskSectionHtml(s: TaskReportSection): string {
  return `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>${s.html}</section>\n`;
}

/**
 * A self-contained HTML page: inline CSS, SVG and one small inline script (sorting), no external
 * resources. `taskSections` (the task's own, e.g. Table VI) come after the provenance, before the
 * configurations; without them the page is as before.
 */
export function htmlReport(
  results: ResultsFile,
  sections: ReportSection[],
  configFacts?: ConfigFacts,
  taskSections: TaskReportSection[] = [],
): string {
  const config = resolvedConfigFacts(results, configFacts);
  const banner = isQuickRun(results) ? `<p class="banner" id="quick-banner">${escapeHtml(QUICK_BANNER)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>curvad: ${escapeHtml(results.experiment)}</title>
<style>${STYLE}</style></head>
<body><h1>curvad report: ${escapeHtml(results.experiment)}</h1>
${banner}
${contentsHtml(sections, taskSections)}
<p>Scores: higher = more anomalous. Metrics in % (mean +- sample std over trials); FPR at 95% TPR and detection error follow ODIN (ID = positive for FPR95), AUPR-In takes ID as positive, AUPR-Out OOD. ↓ lower is better, ↑ higher is better; <strong>bold on green</strong>: the best value of its column. Click a column header to sort.</p>
${summaryHtml(sections)}
<section id="config"><h2>Resolved config</h2>${factList(config.facts)}<details><summary>The whole config (JSON)</summary><pre>${escapeHtml(config.json)}</pre></details></section>
<section id="provenance"><h2>Provenance</h2>${factList(provenanceFacts(results))}${dataFilesHtml(results)}</section>
${taskSections.map(taskSectionHtml).join('')}${sections.map(sectionHtml).join('\n')}
<script>${SORTABLE_TABLES_SCRIPT}</script>
</body></html>
`;
}
