/**
 * Line styles for plots with many methods: 20 colours with distinct hues and lightness (Tableau 20,
 * dark and light of each hue), and a dash pattern that changes every 10 entries, so the 12+ methods
 * of a run never share a look (vega's default scheme has 10 colours and repeats them).
 */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
  '#aec7e8',
  '#ff9896',
  '#98df8a',
  '#ffbb78',
  '#c5b0d5',
  '#c49c94',
  '#f7b6d2',
  '#9edae5',
  '#dbdb8d',
  '#000000',
] as const;

/** Dash patterns (SVG stroke-dasharray lengths in px), one per block of 10 entries. */
export const DASHES: number[][] = [
  [1, 0],
  [6, 3],
  [2, 2],
  [8, 3, 2, 3],
];
const DASH_BLOCK = 10;

export interface LineStyle {
  color: string;
  dash: number[];
}

/** The style of the i-th entry: colours cycle through PALETTE, the dash changes every 10 entries. */
export function lineStyle(index: number): LineStyle {
  return { color: PALETTE[index % PALETTE.length]!, dash: DASHES[Math.floor(index / DASH_BLOCK) % DASHES.length]! };
}

/** Vega-Lite scales that give `labels[i]` the style `lineStyle(styleIndex[i])` (default: i). */
export function styleScales(labels: string[], styleIndex: number[] = labels.map((_, i) => i)) {
  const styles = styleIndex.map(lineStyle);
  return {
    color: { domain: labels, range: styles.map((s) => s.color) },
    strokeDash: { domain: labels, range: styles.map((s) => s.dash) },
  };
}
