/**
 * What the brief's layout test measures in Chromium, as a string evaluated in the page (so the Node typings need
 * no DOM lib): page overflow, and for each chart's visible rendering its size, marks, axis titles, every visible
 * text's rendered font size (font size × the SVG's scale) and every pair of text boxes that overlap.
 */
export const LAYOUT_PROBE = `(() => {
  const visible = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
      if (e.getAttribute('opacity') === '0' || e.getAttribute('fill-opacity') === '0') return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const charts = [...document.querySelectorAll('figure[data-chart]')].map((fig) => {
    const svg = [...fig.querySelectorAll('svg')].find((s) => visible(s));
    if (!svg) return { id: fig.dataset.chart, w: 0, h: 0, right: 0, marks: 0, axisTitles: [], minFont: 0, texts: 0, overlaps: [] };
    const r = svg.getBoundingClientRect();
    const scale = r.width / Number(svg.getAttribute('width'));
    const texts = [...svg.querySelectorAll('text')].filter((t) => visible(t) && t.textContent.trim() !== '');
    const sizes = texts.map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    const boxes = texts.map((t) => ({ s: t.textContent.trim(), b: t.getBoundingClientRect() }));
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].b, b = boxes[j].b;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 0.5 && h > 0.5) overlaps.push(boxes[i].s + ' | ' + boxes[j].s);
      }
    return {
      id: fig.dataset.chart, w: r.width, h: r.height, right: r.right,
      marks: svg.querySelectorAll('path, line, circle, rect').length,
      axisTitles: [...svg.querySelectorAll('.role-axis-title text')].map((t) => t.textContent.trim()),
      minFont: Math.min(...sizes), texts: texts.length, overlaps,
    };
  });
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, charts };
})()`;

export type LayoutChart = {
  id: string;
  w: number;
  h: number;
  right: number;
  marks: number;
  axisTitles: string[];
  minFont: number;
  texts: number;
  overlaps: string[];
};
export type Layout = { scrollWidth: number; innerWidth: number; charts: LayoutChart[] };
