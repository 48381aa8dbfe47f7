import type { TopLevelSpec } from 'vega-lite';

/** Dates are exchange-local YYYY-MM-DD strings: parsed and labelled in UTC so no time zone shifts a day. */
const dateX = (title: string, narrow = false) => ({
  field: 'date',
  type: 'temporal' as const,
  title,
  scale: { type: 'utc' as const },
  axis: { format: '%b %d', labelAngle: 0, tickCount: narrow ? 4 : 6, labelOverlap: true, labelSeparation: 8 },
});

export type LinePoint = { date: string; series: string; value: number };

/**
 * Two renderings of every chart: wide (desktop, 1280 px) and narrow (a 375 px phone, 343 px of content), each drawn
 * at the size it is shown so text stays at its font size (min 11 px) instead of shrinking with the SVG.
 */
export type ChartSize = { narrow?: boolean | undefined };

/** Plot widths (px) of the two renderings; axes, legends and padding come on top. */
const PLOT_WIDTH = { wide: 600, narrow: 200 } as const;

/** Splits words into lines of at most `max` characters (titles and sources on a narrow chart). */
export function wrapWords(text: string, max: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/)) {
    if (cur && (cur + ' ' + w).length > max) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Title and source subtitle, wrapped on the narrow rendering. */
const titleOf = (o: { title: string; source: string }, narrow: boolean) =>
  narrow
    ? { text: wrapWords(o.title, 28), subtitle: wrapWords(o.source, 38) }
    : { text: o.title, subtitle: wrapWords(o.source, 64) };

/**
 * Colour-blind-safe categorical colours: Okabe & Ito (2008) and Paul Tol's "muted" scheme, with a shape per series
 * as a second cue, so no two series share both.
 */
export const SERIES_COLOURS = [
  '#0072b2', // blue
  '#d55e00', // vermillion
  '#009e73', // bluish green
  '#cc79a7', // reddish purple
  '#e69f00', // orange
  '#332288', // indigo
  '#56b4e9', // sky blue
  '#882255', // wine
  '#999933', // olive
  '#000000', // black
  '#44aa99', // teal
] as const;
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down'] as const;

/**
 * Cumulative return of each series since the window's base close (fractions), one line per series.
 * `source` goes into the subtitle so the chart carries its provenance when copied out of the brief.
 */
export function raceLineSpec(
  points: readonly LinePoint[],
  o: { title: string; source: string; baseDate: string } & ChartSize,
): TopLevelSpec {
  const narrow = o.narrow === true;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: o.title,
    title: titleOf(o, narrow),
    width: narrow ? PLOT_WIDTH.narrow : PLOT_WIDTH.wide,
    height: narrow ? 200 : 240,
    data: { values: points.map((p) => ({ ...p })) },
    layer: [
      {
        mark: { type: 'rule', color: '#999', strokeDash: [3, 3] },
        encoding: { y: { datum: 0 } },
      },
      {
        mark: { type: 'line', strokeWidth: 2, point: false },
        encoding: {
          x: dateX(
            narrow ? 'Session close (date)' : `Session close (date; base: ${o.baseDate} close)`,
            narrow,
          ),
          y: {
            field: 'value',
            type: 'quantitative',
            title: 'Return since base close (%)',
            axis: { format: '+.0%', labelOverlap: true },
          },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { range: [...SERIES_COLOURS] },
          },
          strokeDash: { field: 'series', type: 'nominal', title: null },
        },
      },
    ],
  } as TopLevelSpec;
}

export type YearBar = { year: string; spread: number; winner: string };

/**
 * Year-start race by year: the spread A - B, coloured by which leg won. Wide: years across; narrow: years down
 * (one readable row per year instead of rotated labels squeezed together).
 */
export function yearBarsSpec(
  rows: readonly YearBar[],
  o: { title: string; source: string; winnerTitle: string } & ChartSize,
): TopLevelSpec {
  const narrow = o.narrow === true;
  const year = { field: 'year', type: 'ordinal' as const, title: 'Year' };
  const spread = {
    field: 'spread',
    type: 'quantitative' as const,
    title: 'Spread (percentage points)',
    axis: { format: '+.0%', labelOverlap: true, labelSeparation: 8 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: o.title,
    title: titleOf(o, narrow),
    width: narrow ? PLOT_WIDTH.narrow : PLOT_WIDTH.wide,
    height: narrow ? { step: 14 } : 220,
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: 'bar' },
    encoding: {
      ...(narrow
        ? { y: { ...year, axis: { labelFontSize: 11 } }, x: spread }
        : { x: { ...year, axis: { labelAngle: -90, labelFontSize: 11 } }, y: spread }),
      color: {
        field: 'winner',
        type: 'nominal',
        title: o.winnerTitle,
        scale: { range: [SERIES_COLOURS[0], SERIES_COLOURS[1]] },
      },
    },
  } as TopLevelSpec;
}

export type RrgDot = {
  symbol: string;
  date: string;
  ratio: number;
  momentum: number;
  order: number;
  last: boolean;
};

const legendOf = (narrow: boolean) => ({ orient: 'bottom', columns: narrow ? 3 : 4, symbolSize: 80 });

/**
 * Relative Rotation Graph: RS-Ratio (x) vs RS-Momentum (y) around 100, with each member's tail. The axes are
 * symmetric around 100 so the quadrant names sit in their corners; members are told apart by colour and shape
 * in the legend (no labels beside the dots, which collide when sectors bunch together).
 */
export function rrgSpec(
  dots: readonly RrgDot[],
  o: { title: string; source: string; tailWeeks?: number | undefined } & ChartSize,
): TopLevelSpec {
  const narrow = o.narrow === true;
  const values = dots.map((d) => ({ ...d }));
  const half = (k: 'ratio' | 'momentum') => Math.max(0.5, ...dots.map((d) => Math.abs(d[k] - 100))) * 1.08;
  const hx = half('ratio');
  const hy = half('momentum');
  const x = {
    field: 'ratio',
    type: 'quantitative' as const,
    title: narrow ? 'RS-Ratio (100 = benchmark)' : 'RS-Ratio (100 = in line with the benchmark)',
    scale: { domain: [100 - hx, 100 + hx], nice: false },
    axis: { labelOverlap: true, labelSeparation: 8, tickCount: narrow ? 4 : 8 },
  };
  const y = {
    field: 'momentum',
    type: 'quantitative' as const,
    title: 'RS-Momentum (100 = steady)',
    scale: { domain: [100 - hy, 100 + hy], nice: false },
    axis: { labelOverlap: true },
  };
  const symbols = [...new Set(dots.map((d) => d.symbol))];
  const colour = {
    field: 'symbol',
    type: 'nominal' as const,
    title: 'Sector',
    scale: { domain: symbols, range: symbols.map((_, i) => SERIES_COLOURS[i % SERIES_COLOURS.length]) },
  };
  const shape = {
    field: 'symbol',
    type: 'nominal' as const,
    title: 'Sector',
    scale: { domain: symbols, range: symbols.map((_, i) => SHAPES[i % SHAPES.length]) },
  };
  const w = narrow ? PLOT_WIDTH.narrow : 460;
  const h = narrow ? 250 : 380;
  const corner = (text: string, right: boolean, top: boolean) => ({
    mark: {
      type: 'text' as const,
      text,
      align: right ? ('right' as const) : ('left' as const),
      baseline: top ? ('top' as const) : ('bottom' as const),
      fontSize: 12,
      fontWeight: 'bold' as const,
      color: '#666',
      x: right ? w - 4 : 4,
      y: top ? 4 : h - 4,
    },
  });
  const title = o.tailWeeks ? { title: `${o.title}; tails: last ${o.tailWeeks} weeks`, source: o.source } : o;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: o.title,
    title: titleOf(title, narrow),
    width: w,
    height: h,
    layer: [
      { data: { values: [{}] }, ...corner('Leading', true, true) },
      { data: { values: [{}] }, ...corner('Improving', false, true) },
      { data: { values: [{}] }, ...corner('Weakening', true, false) },
      { data: { values: [{}] }, ...corner('Lagging', false, false) },
      {
        data: { values: [{}] },
        mark: { type: 'rule', color: '#999' },
        encoding: { x: { datum: 100, type: 'quantitative', scale: x.scale } },
      },
      {
        data: { values: [{}] },
        mark: { type: 'rule', color: '#999' },
        encoding: { y: { datum: 100, type: 'quantitative', scale: y.scale } },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5, opacity: 0.7 },
        encoding: { x, y, order: { field: 'order' }, color: { ...colour, legend: legendOf(narrow) } },
      },
      {
        data: { values },
        transform: [{ filter: 'datum.last' }],
        mark: { type: 'point', size: 80, filled: true, opacity: 1 },
        encoding: {
          x,
          y,
          color: { ...colour, legend: legendOf(narrow) },
          shape,
        },
      },
    ],
  } as TopLevelSpec;
}

export type RatioMark = { date: string; value: number; label: string };

/**
 * The ratio line A/B rebased to 1 at the base close, with marked sessions (lead changes, widest lead and deficit).
 * Marks are symbols named in the legend; their dates are in the text, so no label can collide on a narrow screen.
 */
export function ratioLineSpec(
  points: readonly { date: string; value: number }[],
  marks: readonly RatioMark[],
  o: { title: string; source: string; baseDate: string; yTitle: string } & ChartSize,
): TopLevelSpec {
  const narrow = o.narrow === true;
  const labels = [...new Set(marks.map((m) => m.label))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: o.title,
    title: titleOf(o, narrow),
    width: narrow ? PLOT_WIDTH.narrow : PLOT_WIDTH.wide,
    height: narrow ? 200 : 240,
    layer: [
      {
        data: { values: [{}] },
        mark: { type: 'rule', color: '#999', strokeDash: [3, 3] },
        encoding: { y: { datum: 1 } },
      },
      {
        data: { values: points.map((p) => ({ ...p })) },
        mark: { type: 'line', strokeWidth: 2, color: SERIES_COLOURS[0] },
        encoding: {
          x: dateX('Session close (date)', narrow),
          y: {
            field: 'value',
            type: 'quantitative',
            title: o.yTitle,
            scale: { zero: false },
            axis: { format: '.2f', labelOverlap: true },
          },
        },
      },
      {
        data: { values: marks.map((m) => ({ ...m })) },
        mark: { type: 'point', filled: true, size: 70, opacity: 1 },
        encoding: {
          x: { field: 'date', type: 'temporal', scale: { type: 'utc' } },
          y: { field: 'value', type: 'quantitative' },
          shape: {
            field: 'label',
            type: 'nominal',
            title: 'Marked',
            scale: { domain: labels, range: labels.map((_, i) => SHAPES[(i + 1) % SHAPES.length]) },
          },
          color: {
            field: 'label',
            type: 'nominal',
            title: 'Marked',
            scale: { domain: labels, range: labels.map((_, i) => SERIES_COLOURS[i + 1]) },
            legend: { orient: 'bottom', direction: narrow ? 'vertical' : 'horizontal' },
          },
        },
      },
    ],
  } as TopLevelSpec;
}
