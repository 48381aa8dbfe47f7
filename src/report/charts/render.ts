import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The font the charts ask for; Debian's fonts-dejavu-core provides it (fc-list | grep DejaVu). */
export const CHART_FONT = 'DejaVu Sans';
const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

/** Shared look: readable axis labels, no chart border, the brief's font. */
export const CHART_CONFIG = {
  font: CHART_FONT,
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    titleFontSize: 11,
    labelColor: '#333',
    titleColor: '#333',
    gridColor: '#e6e6e6',
  },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom' },
  title: { fontSize: 13, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555' },
  background: 'white',
} as const;

/**
 * Renders a Vega-Lite spec to an SVG string in Node (vega-lite compile -> vega View, renderer "none"): no browser,
 * no canvas. Text is measured by Vega's estimator, so labels are sized for a sans font like DejaVu Sans.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile({ ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // role="img" + a title make the chart announceable; the spec's description becomes the title
    const desc = typeof spec.description === 'string' ? spec.description : 'chart';
    return svg.replace(
      /^<svg /,
      `<svg role="img" aria-label="${desc.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" `,
    );
  } finally {
    view.finalize();
  }
}

/** A PNG of an SVG chart (for email), with the DejaVu fonts when installed, else the system fonts. */
export function svgToPng(svg: string, widthPx?: number): Buffer {
  const files = FONT_FILES.filter((f) => existsSync(f));
  const r = new Resvg(svg, {
    font: { loadSystemFonts: files.length === 0, fontFiles: files, defaultFontFamily: CHART_FONT },
    ...(widthPx ? { fitTo: { mode: 'width' as const, value: widthPx } } : {}),
  });
  return r.render().asPng();
}

/** The wide and narrow renderings of one chart (`make(narrow)` builds the spec for each). */
export async function renderChart(
  make: (narrow: boolean) => TopLevelSpec,
): Promise<{ svg: string; svgNarrow: string }> {
  return { svg: await renderSvg(make(false)), svgNarrow: await renderSvg(make(true)) };
}
