import type { ResultsFile } from '../results/results-file';
import type { Table } from './tables';

export interface ReportSection {
  configuration: string;
  description: string;
  tables: Table[];
  /** Inline SVG figures with captions. */
  figures: { caption: string; svg: string }[];
  failures: { trial: number; seed: number; error: string }[];
}

export function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function tableHtml(t: Table): string {
  const head = `<tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${escapeHtml(t.title)}</caption>\n<thead>${head}</thead>\n<tbody>${body}</tbody></table>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}th:first-child,td:first-child{text-align:left}
figure{margin:1.5em 0}figcaption{font-size:.9em;color:#555}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}
dt{font-weight:600}.failed{color:#a00}`;

/** A self-contained HTML page (inline CSS and SVG, no scripts, no external resources). */
export function htmlReport(results: ResultsFile, sections: ReportSection[]): string {
  const info: [string, string][] = [
    ['Experiment', results.experiment + (results.preset ? ` (preset ${results.preset})` : '')],
    ['Command', results.command],
    ['Seeds', results.seeds.join(', ')],
    ['Backend', results.backend],
    ['Git commit', results.gitCommit ?? 'unknown'],
    ['Started', results.startedAt],
    ['Updated', results.updatedAt],
    ['Wall time', `${(results.wallTimeSec / 60).toFixed(1)} min`],
    ['Complete', results.complete ? 'yes' : 'no (interrupted; resume with --resume)'],
    ['Versions', Object.entries(results.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
  ];
  const body = sections
    .map((s) => {
      const failures = s.failures.length
        ? `<p class="failed">Failed trials: ${s.failures.map((f) => `trial ${f.trial} (seed ${f.seed}): ${escapeHtml(f.error)}`).join('; ')}</p>`
        : '';
      const figures = s.figures.map((f) => `<figure>${f.svg}<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`).join('\n');
      return `<section><h2>${escapeHtml(s.configuration)}</h2><p>${escapeHtml(s.description)}</p>${failures}\n${s.tables.map(tableHtml).join('\n')}\n${figures}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>curvad: ${escapeHtml(results.experiment)}</title>
<style>${STYLE}</style></head>
<body><h1>curvad report: ${escapeHtml(results.experiment)}</h1>
<dl>${info.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<p>Scores: higher = more anomalous. Metrics in % (mean +- sample std over trials); FPR at 95% TPR and detection error follow ODIN (ID = positive for FPR95), AUPR-In takes ID as positive, AUPR-Out OOD.</p>
${body}
</body></html>
`;
}
