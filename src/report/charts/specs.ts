import type { TopLevelSpec } from 'vega-lite';

/** Dates are exchange-local YYYY-MM-DD strings: parsed and labelled in UTC so no time zone shifts a day. */
const dateX = (title: string) => ({
  field: 'date',
  type: 'temporal' as const,
  title,
  scale: { type: 'utc' as const },
  axis: { format: '%b %d', labelAngle: 0, tickCount: 6 },
});

export type LinePoint = { date: string; series: string; value: number };

/**
 * Cumulative return of each series since the window's base close (fractions), one line per series.
 * `source` goes into the subtitle so the chart carries its provenance when copied out of the brief.
 */
export function raceLineSpec(
  points: readonly LinePoint[],
  o: { title: string; source: string; baseDate: string },
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: o.title,
    title: { text: o.title, subtitle: o.source },
    width: 560,
    height: 240,
    data: { values: points.map((p) => ({ ...p })) },
    layer: [
      {
        mark: { type: 'rule', color: '#999', strokeDash: [3, 3] },
        encoding: { y: { datum: 0 } },
      },
      {
        mark: { type: 'line', strokeWidth: 2, point: false },
        encoding: {
          x: dateX(`Session (base: ${o.baseDate} close)`),
          y: {
            field: 'value',
            type: 'quantitative',
            title: 'Return since base close',
            axis: { format: '+.1%' },
          },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { range: ['#1b6ca8', '#d1495b', '#edae49', '#00798c', '#6c757d'] },
          },
        },
      },
    ],
  } as TopLevelSpec;
}

export type YearBar = { year: string; spread: number; winner: string };

/** Year-start race by year: the spread A - B, coloured by which leg won. */
export function yearBarsSpec(
  rows: readonly YearBar[],
  o: { title: string; source: string; winnerTitle: string },
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: o.title,
    title: { text: o.title, subtitle: o.source },
    width: 560,
    height: 220,
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'year', type: 'ordinal', title: 'Year', axis: { labelAngle: -90, labelFontSize: 9 } },
      y: {
        field: 'spread',
        type: 'quantitative',
        title: 'Spread (percentage points)',
        axis: { format: '+.0%' },
      },
      color: {
        field: 'winner',
        type: 'nominal',
        title: o.winnerTitle,
        scale: { range: ['#1b6ca8', '#d1495b'] },
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

/** Relative Rotation Graph: RS-Ratio (x) vs RS-Momentum (y) around 100, with each member's tail. */
export function rrgSpec(dots: readonly RrgDot[], o: { title: string; source: string }): TopLevelSpec {
  const values = dots.map((d) => ({ ...d }));
  const x = { field: 'ratio', type: 'quantitative' as const, title: 'RS-Ratio', scale: { zero: false } };
  const y = {
    field: 'momentum',
    type: 'quantitative' as const,
    title: 'RS-Momentum',
    scale: { zero: false },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: o.title,
    title: { text: o.title, subtitle: o.source },
    width: 420,
    height: 360,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#999' }, encoding: { x: { datum: 100 } } },
      { mark: { type: 'rule', color: '#999' }, encoding: { y: { datum: 100 } } },
      {
        mark: { type: 'line', strokeWidth: 1, opacity: 0.6 },
        encoding: {
          x,
          y,
          order: { field: 'order' },
          color: { field: 'symbol', type: 'nominal', legend: null },
        },
      },
      {
        transform: [{ filter: 'datum.last' }],
        mark: { type: 'circle', size: 60, opacity: 1 },
        encoding: { x, y, color: { field: 'symbol', type: 'nominal', legend: null } },
      },
      {
        transform: [{ filter: 'datum.last' }],
        mark: { type: 'text', dx: 6, align: 'left', fontSize: 11 },
        encoding: { x, y, text: { field: 'symbol' } },
      },
    ],
  } as TopLevelSpec;
}

export type RatioMark = { date: string; value: number; label: string };

/**
 * The ratio line A/B rebased to 1 at the base close, with marked sessions (lead changes, widest lead and deficit).
 * Marks are dots; their words are in the caption and the text, so no label can collide on a narrow screen.
 */
export function ratioLineSpec(
  points: readonly { date: string; value: number }[],
  marks: readonly RatioMark[],
  o: { title: string; source: string; baseDate: string; yTitle: string },
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: o.title,
    title: { text: o.title, subtitle: o.source },
    width: 560,
    height: 240,
    layer: [
      {
        mark: { type: 'rule', color: '#999', strokeDash: [3, 3] },
        encoding: { y: { datum: 1 } },
      },
      {
        data: { values: points.map((p) => ({ ...p })) },
        mark: { type: 'line', strokeWidth: 2, color: '#1b6ca8' },
        encoding: {
          x: dateX(`Session (base: ${o.baseDate} close)`),
          y: {
            field: 'value',
            type: 'quantitative',
            title: o.yTitle,
            scale: { zero: false },
            axis: { format: '.2f' },
          },
        },
      },
      {
        data: { values: marks.map((m) => ({ ...m })) },
        mark: { type: 'point', filled: true, size: 70, stroke: '#fff', strokeWidth: 1 },
        encoding: {
          x: { field: 'date', type: 'temporal', scale: { type: 'utc' } },
          y: { field: 'value', type: 'quantitative' },
          shape: { field: 'label', type: 'nominal', title: 'Marked' },
          color: {
            field: 'label',
            type: 'nominal',
            title: 'Marked',
            scale: { range: ['#d55e00', '#009e73', '#cc79a7'] },
          },
        },
      },
    ],
  } as TopLevelSpec;
}
