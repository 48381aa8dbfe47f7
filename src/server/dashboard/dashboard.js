/* global vegaEmbed, document, window, fetch, URLSearchParams */
// The dashboard: plain DOM, the JSON API of this server, and the brief's Vega-Lite specs (from
// /api/v1/charts/*) drawn by vega-embed with the CSP-safe expression interpreter (no eval, no inline script).
import { expressionInterpreter } from '/assets/vega-interpreter.js';

const $ = (id) => document.getElementById(id);
const dark = window.matchMedia('(prefers-color-scheme: dark)');

/** GET (or POST) a JSON answer; a problem answer throws its detail. */
async function api(path, init) {
  const r = await fetch(path, init);
  const body = await r.json();
  if (!r.ok) throw new Error(body.detail || `${r.status}`);
  return body;
}

function status(id, text, error = false) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle('error', error);
}

// Rounding happens here, in rendering only: the API carries fractions unrounded.
const pct = (x, signed = true) =>
  x === null || x === undefined || !Number.isFinite(x)
    ? '—'
    : `${signed && x > 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;
const num = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));

function showValue(f) {
  if (typeof f.value !== 'number') return f.value === null ? '—' : String(f.value);
  if (f.unit === 'fraction') return pct(f.value);
  if (f.unit === 'ratio') return num(f.value, 4);
  if (f.unit === 'count' || f.unit === 'year') return String(f.value);
  return num(f.value, 2);
}

/** A fact as a focusable chip: its value, its label, and on hover or focus its inputs, window and method. */
function factChip(f, i) {
  const wrap = document.createElement('span');
  wrap.className = 'fact-wrap';
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'fact';
  b.setAttribute('aria-describedby', `tip-${i}`);
  const v = document.createElement('span');
  v.className = 'v';
  v.textContent = showValue(f);
  const l = document.createElement('span');
  l.className = 'l';
  l.textContent = f.label;
  b.append(v, l);
  const tip = document.createElement('span');
  tip.className = 'tip';
  tip.id = `tip-${i}`;
  tip.setAttribute('role', 'tooltip');
  const lines = [
    `id: ${f.id}`,
    `inputs: ${f.inputs.join(', ')}`,
    f.window ? `window: ${f.window}` : null,
    f.basis ? `basis: ${f.basis}` : null,
    `as of: ${f.asOf}`,
    `method: ${f.method}`,
  ].filter(Boolean);
  for (const line of lines) {
    const d = document.createElement('div');
    d.textContent = line;
    tip.append(d);
  }
  wrap.append(b, tip);
  return wrap;
}

function table(id, headers, rows) {
  const t = $(id);
  t.replaceChildren();
  if (rows.length === 0) return;
  const head = t.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const cell of r) {
      const td = tr.insertCell();
      td.textContent = cell === null || cell === undefined ? '—' : String(cell);
      if (/^[+-]?[\d.]+%?$/.test(td.textContent)) td.className = 'num';
    }
  }
}

/** Draws a spec into an element at the element's width (the spec's own width is for the printed brief). */
async function draw(el, spec) {
  const width = Math.max(200, Math.min(el.clientWidth || 560, 900));
  const fitted = { ...spec, width, autosize: { type: 'fit', contains: 'padding' } };
  el.replaceChildren();
  const view = await vegaEmbed(el, fitted, {
    actions: false,
    renderer: 'canvas',
    ast: true,
    expr: expressionInterpreter,
    defaultStyle: false,
    theme: dark.matches ? 'dark' : undefined,
    tooltip: false,
  });
  return view;
}

// ---- race explorer -------------------------------------------------------------------------------------------
async function runRace(e) {
  if (e) e.preventDefault();
  const f = new window.FormData($('race-form'));
  const q = new URLSearchParams({ a: f.get('a').trim(), b: f.get('b').trim(), window: f.get('window') });
  if (f.get('year').trim()) q.set('year', f.get('year').trim());
  status('race-status', 'Loading…');
  try {
    const line = await api(`/api/v1/charts/race?${q}`);
    const r = line.race;
    const facts = $('race-facts');
    facts.replaceChildren(...r.facts.map((fact, i) => factChip(fact, `race-${i}`)));
    status(
      'race-status',
      r.race
        ? `${r.a} vs ${r.b}, ${r.window} ${r.race.year}: ${r.race.baseDate} close to ${r.race.endDate} close (${r.race.sessions} sessions); data to ${r.asOf}.`
        : `${r.a} vs ${r.b}: the window cannot be measured.`,
    );
    await draw($('race-line'), line.spec);
    const years = f.get('years').trim();
    if (years) {
      const bars = await api(`/api/v1/charts/race?${q}&years=${encodeURIComponent(years)}`);
      await draw($('race-bars'), bars.spec);
    } else $('race-bars').replaceChildren();
    await runOdds(r.a, r.b, f.get('window'));
  } catch (err) {
    status('race-status', err.message, true);
  }
}

async function runOdds(a, b, win) {
  status('odds-status', 'Loading…');
  try {
    const q = new URLSearchParams({ beats: `${a},${b}`, window: win });
    const o = await api(`/api/v1/odds?${q}`);
    const p = o.precedents;
    status(
      'odds-status',
      `${p.condition}: ${p.occurrences.length} occurrences to ${o.asOf}. After each, did ${a} keep its lead over ${b}?`,
    );
    table(
      'odds-table',
      ['horizon', 'occurrences', 'lead held', 'median', 'mean', 'pending'],
      o.odds.map((h) => [
        h.horizon,
        h.summary.n,
        pct(h.summary.hitRate, false),
        pct(h.summary.median),
        pct(h.summary.mean),
        h.pending,
      ]),
    );
  } catch (err) {
    status('odds-status', err.message, true);
    table('odds-table', [], []);
  }
}

// ---- claim box -----------------------------------------------------------------------------------------------
async function runClaim(e) {
  e.preventDefault();
  const claim = new window.FormData($('claim-form')).get('claim').trim();
  status('claim-verdict', 'Checking…');
  try {
    const r = await api(`/api/v1/check?claim=${encodeURIComponent(claim)}`);
    status('claim-verdict', `Verdict: ${r.verdict}`);
    table(
      'claim-table',
      ['A', 'B', 'window', 'basis', 'status', 'spread', 'last before', 'why'],
      r.rows.map((x) => [
        x.a,
        x.b,
        x.windowText,
        x.basis,
        x.evaluation.status + (x.asStated ? ' (as stated)' : ''),
        pct(x.evaluation.spread),
        x.evaluation.lastBefore,
        x.evaluation.reason,
      ]),
    );
  } catch (err) {
    status('claim-verdict', err.message, true);
    table('claim-table', [], []);
  }
}

async function runArticle(e) {
  e.preventDefault();
  const text = new window.FormData($('article-form')).get('article');
  status('article-status', 'Checking…');
  try {
    const r = await api('/api/v1/check', {
      method: 'POST',
      body: text,
      headers: { 'content-type': 'text/plain' },
    });
    status(
      'article-status',
      `${r.claims.length} claims in ${r.sentences} sentences; data as of ${r.asOf ?? 'latest'}.`,
    );
    table(
      'article-table',
      ['#', 'claim', 'verdict', 'why'],
      r.claims.map((c) => [c.n, c.understood, c.verdict, c.reason]),
    );
  } catch (err) {
    status('article-status', err.message, true);
  }
}

// ---- RRG -----------------------------------------------------------------------------------------------------
let weeks = [];
async function loadRrg(asOf) {
  status('rrg-status', 'Loading…');
  try {
    const r = await api(`/api/v1/charts/rrg${asOf ? `?as_of=${asOf}` : ''}`);
    if (!asOf) {
      weeks = r.weeks;
      const s = $('rrg-week');
      s.max = String(Math.max(0, weeks.length - 1));
      s.value = s.max;
    }
    $('rrg-date').textContent = r.rrg.asOf ?? '';
    $('rrg-week').setAttribute('aria-valuetext', `week ending ${r.rrg.asOf ?? ''}`);
    status('rrg-status', `${r.rrg.members.length} members vs ${r.rrg.benchmark}, week ending ${r.rrg.asOf}.`);
    await draw($('rrg-chart'), r.spec);
    table(
      'rrg-table',
      ['symbol', 'quadrant', 'RS-Ratio', 'RS-Momentum', 'since'],
      r.rrg.members.map((m) => [
        m.symbol,
        m.quadrant,
        num(m.latest?.ratio),
        num(m.latest?.momentum),
        m.quadrantSince,
      ]),
    );
  } catch (err) {
    status('rrg-status', err.message, true);
  }
}

// ---- briefs --------------------------------------------------------------------------------------------------
async function loadBriefs() {
  try {
    const list = await api('/api/v1/briefs');
    status('briefs-status', list.length ? `${list.length} briefs.` : 'No briefs in the folder.');
    $('briefs-list').replaceChildren(
      ...list.map((b) => {
        const li = document.createElement('li');
        const btn = document.createElement('button');
        btn.type = 'button';
        btn.textContent = `Brief ${b.date}`;
        btn.addEventListener('click', () => openBrief(b));
        li.append(btn);
        return li;
      }),
    );
  } catch (err) {
    status('briefs-status', err.message, true);
  }
}

async function openBrief(b) {
  const frame = $('brief-frame');
  frame.hidden = false;
  frame.src = `/api/v1/briefs/${b.date}?format=html`;
  if (!b.facts) return table('brief-facts', [], []);
  const f = await api(`/api/v1/briefs/${b.date}/facts`);
  table(
    'brief-facts',
    ['id', 'label', 'value', 'inputs', 'as of'],
    f.facts.map((x) => [x.id, x.label, showValue(x), x.inputs.join(', '), x.asOf]),
  );
  status('briefs-status', `Brief ${b.date}: ${f.facts.length} facts.`);
}

// ---- start ---------------------------------------------------------------------------------------------------
async function symbols() {
  try {
    const list = await api('/api/v1/symbols');
    $('symbols').replaceChildren(
      ...list.map((s) => {
        const o = document.createElement('option');
        o.value = s.symbol;
        return o;
      }),
    );
  } catch {
    // the datalist is a convenience: the inputs take any symbol
  }
}

$('race-form').addEventListener('submit', runRace);
$('claim-form').addEventListener('submit', runClaim);
$('article-form').addEventListener('submit', runArticle);
$('rrg-week').addEventListener('change', (e) => loadRrg(weeks[Number(e.target.value)]));
document.body.dataset.ready = 'loading';
Promise.allSettled([symbols(), runRace(), loadRrg(), loadBriefs()]).then(() => {
  document.body.dataset.ready = 'yes';
});
