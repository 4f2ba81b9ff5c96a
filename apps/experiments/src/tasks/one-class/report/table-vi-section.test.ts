import { describe, expect, test } from 'vitest';
import { TABLE_VI_METRICS, tableViMarkdown } from './table-vi';
import { tableViHtml } from './table-vi-section';
import { oneClassResults, TINY_CONFIG } from './test-support';

const results = oneClassResults(TINY_CONFIG, [
  [
    { RotNet: 0.9, 'RotNet +SiT': 0.8, 'RotNet +MiT': 0.85 },
    { RotNet: 0.7, 'RotNet +SiT': 0.75, 'RotNet +MiT': 0.6 },
  ],
  [
    { RotNet: 0.5, 'RotNet +SiT': 0.66, 'RotNet +MiT': 0.55 },
    { RotNet: 0.6, 'RotNet +SiT': 0.62, 'RotNet +MiT': 0.4 },
  ],
]);

/** The text of every cell of the HTML table with `id`, row by row (header first). */
function htmlCells(html: string, id: string): string[][] {
  const table = new RegExp(`<table class="sortable" id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1];
  expect(table, `table ${id} in the HTML`).toBeDefined();
  return [...table!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>(?:<strong>)?([^<]*)(?:<\/strong>)?<\/t[hd]>/g)].map((cell) => cell[1]!),
  );
}

/** The cells of each markdown table of table-vi.md, in order (header first, the separator line left out). */
function markdownCells(markdown: string): string[][][] {
  return markdown.split('\n\n**').map((block) =>
    block
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
      .map((line) => line.slice(2, -2).split(' | ')),
  );
}

describe('tableViHtml', () => {
  test("report.html's Table VI has every cell of table-vi.md, per metric (AUROC, AUPR-In, AUPR-Out, FPR95), in sortable tables", () => {
    const html = tableViHtml(results);
    const markdown = markdownCells(tableViMarkdown(results));
    expect(markdown).toHaveLength(TABLE_VI_METRICS.length);
    for (const [i, metric] of TABLE_VI_METRICS.entries()) {
      const cells = htmlCells(html, `table-vi-${metric}`);
      expect(cells).toEqual(markdown[i]);
    }
    // The values themselves, for AUROC: RotNet class 0 (90, 70) -> 80.0 +- 14.1; trial means (70, 65) -> 67.5 +- 3.5.
    expect(htmlCells(html, 'table-vi-auroc')[1]).toEqual(['RotNet', '80.0 +- 14.1', '55.0 +- 7.1', '67.5 +- 3.5']);
    expect(html.indexOf('id="table-vi-auroc"')).toBeLessThan(html.indexOf('id="table-vi-fpr95"'));
    // Sortable: the numeric columns carry the mean as data-sort.
    expect(html).toContain('<td class="best" data-sort="0.8"><strong>80.0 +- 14.1</strong></td>');
  });
});
