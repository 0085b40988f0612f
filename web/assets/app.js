// embedlab serve: the lab page. Plain JavaScript, no framework. Every text
// that comes from lab.db reaches the page through textContent (the el()
// helper below) or an SVG/canvas text call, never through innerHTML.
'use strict';

const state = {
  runs: [], // /api/runs
  selected: new Set(), // run ids chosen in the runs view
  sort: { key: 'id', dir: 1 },
  filter: '',
  extraCols: [], // config fields shown as columns
  poll: null, // the live curves' timer
  embeddings: null,
};
const WINDOW = 60, WINDOW_MARGIN = 20; // rows of the runs table in the page at once, and beyond the view
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#7f7f7f', '#bcbd22'];
const SVGNS = 'http://www.w3.org/2000/svg';

// el('td', {class: 'num'}, 'text', child...): an element; strings become text nodes.
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of kids) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

async function api(url, opts) {
  let resp;
  try {
    resp = await fetch(url, opts);
  } catch (e) {
    banner('The server does not answer (stopped?): ' + e.message);
    throw e;
  }
  let body = null;
  try { body = await resp.json(); } catch (e) { body = { error: 'not JSON: ' + resp.status }; }
  if (resp.status === 503) banner('The lab database cannot be read: ' + body.error);
  else if (resp.ok) banner(null);
  if (!resp.ok) throw new Error(body.error || ('HTTP ' + resp.status));
  return body;
}

function banner(msg) {
  const b = document.getElementById('banner');
  b.hidden = !msg;
  b.textContent = msg || '';
}

function fmt(v, digits) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(digits === undefined ? 4 : digits);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
// Four decimals always (a cosine of exactly 1 too); '' for null.
function f4(v) { return typeof v === 'number' ? v.toFixed(4) : ''; }
function fmtSeconds(s) {
  if (s === null || s === undefined) return '';
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) return (s / 60).toFixed(1) + ' min';
  return (s / 3600).toFixed(1) + ' h';
}

function showTip(ev, text) {
  const t = document.getElementById('tip');
  t.textContent = text;
  t.hidden = false;
  t.style.left = (ev.clientX + 12) + 'px';
  t.style.top = (ev.clientY + 12) + 'px';
}
function hideTip() { document.getElementById('tip').hidden = true; }

// ---- plots -----------------------------------------------------------------
// plot({title, xlabel, ylabel, series: [{name, color, dash, points: [[x, y, info]], band: [[x, lo, hi]],
//   err: [[x, y, sd]]}], hlines: [{y, color, name}], xlog2, onPoint(info), width, height, clamp: [lo, hi]})
// clamp bounds the error bars to what the quantity can be (an accuracy's
// mean - sd is never below 0).
function plot(o) {
  const [clo, chi] = o.clamp || [-Infinity, Infinity];
  const bar = (e) => [Math.max(clo, e[1] - e[2]), Math.min(chi, e[1] + e[2])];
  const W = o.width || 460, H = o.height || 300, L = 52, R = 12, T = 24, B = 38;
  const s = svg('svg', { class: 'plot', width: W, height: H, viewBox: `0 0 ${W} ${H}` });
  const xs = [], ys = [];
  for (const se of o.series) {
    for (const p of se.points || []) { xs.push(p[0]); ys.push(p[1]); }
    for (const b of se.band || []) { ys.push(b[1], b[2]); }
    for (const e of se.err || []) ys.push(...bar(e));
  }
  for (const h of o.hlines || []) ys.push(h.y);
  const fx = o.xlog2 ? (x) => Math.log2(Math.max(x, 1e-9)) : (x) => x;
  const finite = (a) => a.filter((v) => Number.isFinite(v));
  let x0 = Math.min(...finite(xs.map(fx))), x1 = Math.max(...finite(xs.map(fx)));
  let y0 = Math.min(...finite(ys)), y1 = Math.max(...finite(ys));
  if (!Number.isFinite(x0)) { x0 = 0; x1 = 1; }
  if (!Number.isFinite(y0)) { y0 = 0; y1 = 1; }
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  if (y1 === y0) { y0 -= 0.05; y1 += 0.05; }
  const pad = (y1 - y0) * 0.06; y0 -= pad; y1 += pad;
  const xpad = (x1 - x0) * 0.04; x0 -= xpad; x1 += xpad;
  const px = (x) => L + (fx(x) - x0) / (x1 - x0) * (W - L - R);
  const py = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  s.append(svg('text', { x: L, y: 15, 'font-weight': 'bold' }, o.title || ''));
  // Enough decimals that neighbouring ticks differ (a loss of 0.6905 to
  // 0.6910 needs four), however narrow the range.
  const ydec = Math.min(8, Math.max(0, Math.ceil(-Math.log10((y1 - y0) / 4))));
  for (let i = 0; i <= 4; i++) {
    const y = y0 + (y1 - y0) * i / 4;
    s.append(svg('line', { class: 'grid', x1: L, x2: W - R, y1: py(y), y2: py(y) }));
    s.append(svg('text', { x: L - 4, y: py(y) + 4, 'text-anchor': 'end' }, y.toFixed(ydec)));
  }
  const distinct = [...new Set(xs)].filter(Number.isFinite).sort((a, b) => a - b);
  const whole = distinct.every(Number.isInteger);
  const ticks = o.xlog2 || (whole && distinct.length <= 12) ? distinct
    : Array.from({ length: 5 }, (_, i) => x0 + (x1 - x0) * (i + 0.5) / 5).map((x) => (whole ? Math.round(x) : x));
  for (const x of ticks) {
    s.append(svg('text', { x: px(x), y: H - B + 14, 'text-anchor': 'middle' },
      Number.isInteger(x) ? String(x) : x.toPrecision(3)));
  }
  s.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
  s.append(svg('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
  s.append(svg('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }, o.xlabel || ''));
  s.append(svg('text', { x: 12, y: (T + H - B) / 2, transform: `rotate(-90 12 ${(T + H - B) / 2})`,
    'text-anchor': 'middle' }, o.ylabel || ''));
  for (const h of o.hlines || []) {
    const line = svg('line', { x1: L, x2: W - R, y1: py(h.y), y2: py(h.y), stroke: h.color, 'stroke-dasharray': '6 4',
      'stroke-width': 1.5 });
    line.addEventListener('mousemove', (ev) => showTip(ev, h.name + ': ' + fmt(h.y)));
    line.addEventListener('mouseleave', hideTip);
    s.append(line);
  }
  for (const se of o.series) {
    if (se.band && se.band.length) {
      const top = se.band.map((b) => `${px(b[0])},${py(b[2])}`);
      const bot = se.band.slice().reverse().map((b) => `${px(b[0])},${py(b[1])}`);
      s.append(svg('polygon', { points: top.concat(bot).join(' '), fill: se.color, 'fill-opacity': 0.15 }));
    }
    for (const e of se.err || []) {
      s.append(svg('line', { x1: px(e[0]), x2: px(e[0]), y1: py(bar(e)[0]), y2: py(bar(e)[1]),
        stroke: se.color }));
    }
    const pts = (se.points || []).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
    if (pts.length > 1 && !se.scatter) {
      s.append(svg('polyline', { points: pts.map((p) => `${px(p[0])},${py(p[1])}`).join(' '), fill: 'none',
        stroke: se.color, 'stroke-width': 1.6, 'stroke-dasharray': se.dash ? '5 3' : null }));
    }
    for (const p of pts.length <= 300 ? pts : []) { // beyond that, the line alone: the page stays quick
      const c = svg('circle', { class: 'pt', cx: px(p[0]), cy: py(p[1]), r: o.pointRadius || 2.5, fill: se.color });
      const tip = `${se.name}\n${o.xlabel || 'x'} ${fmt(p[0])}: ${fmt(p[1])}` + (p[2] && p[2].tip ? '\n' + p[2].tip : '');
      c.addEventListener('mousemove', (ev) => showTip(ev, tip));
      c.addEventListener('mouseleave', hideTip);
      if (o.onPoint && p[2]) {
        c.addEventListener('click', () => o.onPoint(p[2]));
        c.setAttribute('cursor', 'pointer');
      }
      s.append(c);
    }
  }
  return s;
}

function legend(items) {
  const d = el('div', { class: 'legend' });
  for (const it of items) {
    const sw = el('span', { class: 'swatch' });
    sw.style.background = it.color;
    d.append(el('span', {}, sw, it.name));
  }
  return d;
}

// ---- runs --------------------------------------------------------------------
const BASE_COLS = [
  ['id', 'run'], ['status', 'status'], ['sweep', 'sweep'], ['cell', 'cell'], ['input_kind', 'input'],
  ['dim', 'dim'], ['tokenizer', 'tokenizer'], ['seed', 'seed'], ['test_acc', 'test acc'],
  ['best_val_acc', 'best val acc'], ['sec_per_epoch', 's/epoch'], ['host', 'host'],
];

function runValue(r, key) {
  if (key.startsWith('config.')) return r.config ? r.config[key.slice(7)] : undefined;
  return r[key];
}

// The filter: space-separated terms, each a substring of any field, or
// FIELD=VALUE, FIELD~SUBSTRING, FIELD>NUMBER, FIELD<NUMBER (FIELD a column or a config key).
function compileFilter(text) {
  const terms = text.trim().split(/\s+/).filter(Boolean).map((t) => {
    const m = t.match(/^([\w.]+)(=|~|>=|<=|>|<)(.*)$/);
    if (!m) {
      const low = t.toLowerCase();
      return (r) => runText(r).includes(low);
    }
    const [, field, op, want] = m;
    const get = (r) => {
      let v = r[field];
      if (v === undefined && r.config) v = r.config[field];
      return v;
    };
    const num = Number(want);
    switch (op) {
      case '=': return (r) => String(get(r)) === want;
      case '~': return (r) => String(get(r)).toLowerCase().includes(want.toLowerCase());
      case '>': return (r) => get(r) > num;
      case '<': return (r) => get(r) < num;
      case '>=': return (r) => get(r) >= num;
      default: return (r) => get(r) <= num;
    }
  });
  return (r) => terms.every((f) => f(r));
}

// The columns a run's config holds, on the run itself.
function withColumns(r) {
  const c = r.config || {};
  r.cell = c.cell; r.input_kind = c.input_kind; r.dim = c.dim; r.tokenizer = c.tokenizer; r.seed = c.seed;
  if (r.epochs === null || r.epochs === undefined) r.epochs = c.epochs;
  return r;
}

// Every run, timed: the answer's arrival, its parse, and the rows made. The
// lean answer (/api/runs?lean=1: rows of the table's columns, no configs)
// keeps 10,000 runs quick to fetch and parse; the configs come later, when a
// config field is wanted (loadConfigs).
async function loadRuns() {
  const t0 = performance.now();
  const resp = await fetch('/api/runs?lean=1');
  const text = await resp.text();
  const t1 = performance.now();
  if (!resp.ok) return api('/api/runs?lean=1'); // the error path says why
  banner(null);
  const data = JSON.parse(text);
  const t2 = performance.now();
  const f = data.fields, runs = new Array(data.rows.length);
  for (let i = 0; i < runs.length; i++) {
    const row = data.rows[i], r = {};
    for (let j = 0; j < f.length; j++) r[f[j]] = row[j];
    runs[i] = r;
  }
  state.runs = runs;
  state.configs = null;
  state.timing = `${(text.length / 1e6).toFixed(1)} MB answered in ${Math.round(t1 - t0)} ms, parsed in ` +
    `${Math.round(t2 - t1)} ms, rows in ${Math.round(performance.now() - t2)} ms`;
  return data;
}

// Every run's config onto state.runs (once, from the full /api/runs): for a
// config column, a filter on a config field or a plain word, the column list.
function loadConfigs() {
  if (!state.configs) {
    state.configs = api('/api/runs').then((data) => {
      const byId = new Map(data.runs.map((r) => [r.id, r.config]));
      for (const r of state.runs) { r.config = byId.get(r.id) || {}; r._text = undefined; }
      return data;
    });
  }
  return state.configs;
}

// The text a plain filter word is looked for in, made when first needed.
function runText(r) {
  if (r._text === undefined) {
    r._text = [r.id, r.status, r.cell, r.input_kind, r.dim, r.tokenizer, r.host, r.kind,
      JSON.stringify(r.config)].join(' ').toLowerCase();
  }
  return r._text;
}

function visibleRuns() {
  const f = compileFilter(state.filter);
  const rows = state.runs.filter(f);
  const { key, dir } = state.sort;
  rows.sort((a, b) => {
    const x = runValue(a, key), y = runValue(b, key);
    if (x === y) return a.id - b.id;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    return (x < y ? -1 : 1) * dir;
  });
  return rows;
}

function statusCell(r) {
  const td = el('td', { class: 'status-' + r.status }, r.status);
  if (r.status === 'running' && r.epoch) {
    td.append(` ${r.epoch}/${r.epochs || '?'}` + (r.eta !== null && r.eta !== undefined ? `, ETA ${fmtSeconds(r.eta)}` : ''));
  }
  if (r.error) td.title = r.error;
  return td;
}

// One table row of run r in columns cols.
function runRow(r, cols) {
  const cb = el('input', { type: 'checkbox', checked: state.selected.has(r.id) });
  const tr = el('tr', { class: state.selected.has(r.id) ? 'sel' : null, 'data-run': r.id });
  cb.addEventListener('change', () => {
    if (cb.checked) state.selected.add(r.id); else state.selected.delete(r.id);
    tr.className = cb.checked ? 'sel' : '';
    document.getElementById('selcount').textContent = `${state.selected.size} selected`;
  });
  tr.append(el('td', {}, cb));
  for (const [key] of cols) {
    if (key === 'status') { tr.append(statusCell(r)); continue; }
    const v = runValue(r, key);
    const digits = key === 'sec_per_epoch' ? 3 : 4;
    tr.append(el('td', { class: typeof v === 'number' ? 'num' : null }, fmt(v, digits)));
  }
  return tr;
}

// The runs table, filtered and sorted, drawn by window: only the rows in
// view (and a margin) are in the page, between two spacer rows that give the
// scroll bar its full length, so 10,000 runs cost what 60 do.
function renderRunsTable(box) {
  const t0 = performance.now();
  const rows = visibleRuns();
  const cols = BASE_COLS.concat(state.extraCols.map((k) => ['config.' + k, k]));
  const head = el('tr', {}, el('th', {}, ''));
  for (const [key, label] of cols) {
    const arrow = state.sort.key === key ? (state.sort.dir > 0 ? ' ▲' : ' ▼') : '';
    head.append(el('th', { on: { click: () => {
      state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
      renderRunsTable(box);
    } } }, label + arrow));
  }
  const body = el('tbody', {});
  const scroller = el('div', { class: 'scroll', id: 'runs-scroll' }, el('table', { id: 'runs-table' }, el('thead', {}, head), body));
  let rowH = 22, first = -1;
  const spacer = (h) => { const tr = el('tr', { class: 'spacer' }, el('td', { colspan: cols.length + 1 })); tr.style.height = h + 'px'; return tr; };
  const draw = () => {
    const want = Math.max(0, Math.floor(scroller.scrollTop / rowH) - WINDOW_MARGIN);
    if (first >= 0 && Math.abs(want - first) < WINDOW_MARGIN / 2) return;
    first = want;
    const last = Math.min(rows.length, first + WINDOW);
    const kids = [spacer(first * rowH)];
    for (let i = first; i < last; i++) kids.push(runRow(rows[i], cols));
    kids.push(spacer((rows.length - last) * rowH));
    body.replaceChildren(...kids);
  };
  scroller.addEventListener('scroll', draw, { passive: true });
  box.replaceChildren(
    el('div', { class: 'toolbar' },
      el('span', { id: 'run-count' }, `${rows.length} of ${state.runs.length} runs`),
      el('span', { class: 'muted', id: 'render-ms' })),
    scroller);
  draw();
  const one = body.querySelector('tr[data-run]');
  if (one && one.getBoundingClientRect().height > 0) { rowH = one.getBoundingClientRect().height; first = -1; draw(); }
  const drawn = document.getElementById('render-ms');
  drawn.textContent = `(${state.timing}; filtered, sorted and drawn in ${Math.round(performance.now() - t0)} ms)`;
}

async function viewRuns(main) {
  const box = el('div', {});
  const filter = el('input', { id: 'filter', value: state.filter, placeholder: 'filter: words, cell=gru, dim>64, test_acc>0.8',
    size: 40 });
  let timer = null;
  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      state.filter = filter.value;
      if (!configFree(state.filter)) await loadConfigs();
      renderRunsTable(box);
    }, 120);
  });
  const addCol = el('select', { id: 'addcol' }, el('option', { value: '' }, 'add a config column…'));
  // The config fields are known once the configs are loaded: on the first look at the list.
  const fillCols = async () => {
    if (addCol.options.length > 1) return;
    await loadConfigs();
    const keys = new Set();
    for (const r of state.runs.slice(0, 2000)) for (const k of Object.keys(r.config || {})) keys.add(k);
    for (const k of [...keys].sort()) addCol.append(el('option', { value: k }, k));
  };
  addCol.addEventListener('focus', fillCols);
  addCol.addEventListener('mousedown', fillCols);
  addCol.addEventListener('change', () => {
    if (addCol.value && !state.extraCols.includes(addCol.value)) state.extraCols.push(addCol.value);
    addCol.value = '';
    renderRunsTable(box);
  });
  const go = (view) => () => {
    if (!state.selected.size) { banner('Select runs first (the boxes on the left).'); return; }
    location.hash = `#${view}?runs=${[...state.selected].sort((a, b) => a - b).join(',')}`;
  };
  main.replaceChildren(el('h2', {}, 'Runs'),
    el('div', { class: 'toolbar' }, filter, addCol,
      el('button', { id: 'curves-btn', on: { click: go('curves') } }, 'Curves of selected'),
      el('button', { id: 'compare-btn', on: { click: go('compare') } }, 'Compare selected'),
      el('button', { on: { click: () => { state.selected.clear(); renderRunsTable(box); document.getElementById('selcount').textContent = '0 selected'; } } }, 'Clear selection'),
      el('span', { id: 'selcount' }, `${state.selected.size} selected`)),
    box);
  await loadRuns();
  if (state.extraCols.length || !configFree(state.filter)) await loadConfigs();
  renderRunsTable(box);
}

// Whether a filter needs no config: only FIELD terms on the lean columns.
function configFree(text) {
  const lean = new Set(['id', 'kind', 'sweep', 'status', 'host', 'epoch', 'epochs', 'test_acc', 'best_val_acc',
    'sec_per_epoch', 'cell', 'input_kind', 'dim', 'tokenizer', 'seed']);
  return text.trim().split(/\s+/).filter(Boolean).every((t) => {
    const m = t.match(/^([\w.]+)(=|~|>=|<=|>|<)/);
    return m && lean.has(m[1]);
  });
}

// ---- curves --------------------------------------------------------------------
function hashParams() {
  const q = location.hash.split('?')[1] || '';
  return new URLSearchParams(q);
}

function runLabel(r) {
  if (!r) return '?';
  return `run ${r.id} ${r.cell || ''} ${r.input_kind || ''}${r.dim ? ' d' + r.dim : ''}`.trim();
}

// Epoch rows per run: {id: [[epoch, train_loss, train_acc, val_loss, val_acc]]}.
function addEpochs(store, rows) {
  for (const e of rows) {
    const list = store[e[0]] || (store[e[0]] = []);
    if (!list.some((x) => x[0] === e[1])) list.push([e[1], e[2], e[3], e[4], e[5]]);
    list.sort((a, b) => a[0] - b[0]);
  }
}

// Panels of train and validation loss and accuracy, one line per run, or
// with group set, the mean and min–max spread of each group per epoch.
function drawCurves(box, ids, store, byId, group) {
  const panels = [['loss', 1, 3], ['accuracy', 2, 4]];
  const series = [[], []], leg = [];
  if (!group) {
    ids.forEach((id, i) => {
      const color = COLORS[i % COLORS.length], rows = store[id] || [];
      leg.push({ name: runLabel(byId[id] || { id }), color });
      panels.forEach(([, tr, va], p) => {
        series[p].push({ name: `run ${id} train`, color, dash: true, points: rows.map((e) => [e[0], e[tr]]) });
        series[p].push({ name: `run ${id} validation`, color, points: rows.map((e) => [e[0], e[va]]) });
      });
    });
  } else {
    const groups = new Map();
    for (const id of ids) {
      const r = byId[id];
      const g = r ? String(runValue(r, group.startsWith('config.') ? group : 'config.' + group) ?? r[group]) : '?';
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(id);
    }
    [...groups.entries()].forEach(([g, members], i) => {
      const color = COLORS[i % COLORS.length];
      leg.push({ name: `${group}=${g} (${members.length} runs)`, color });
      panels.forEach(([, tr, va], p) => {
        for (const [col, label, dash] of [[tr, 'train', true], [va, 'validation', false]]) {
          const byEpoch = new Map();
          for (const id of members) for (const e of store[id] || []) {
            if (!byEpoch.has(e[0])) byEpoch.set(e[0], []);
            if (Number.isFinite(e[col])) byEpoch.get(e[0]).push(e[col]);
          }
          const xs = [...byEpoch.keys()].sort((a, b) => a - b);
          const mean = xs.map((x) => { const v = byEpoch.get(x); return [x, v.reduce((a, b) => a + b, 0) / v.length]; });
          const band = xs.map((x) => { const v = byEpoch.get(x); return [x, Math.min(...v), Math.max(...v)]; });
          series[p].push({ name: `${group}=${g} ${label} (mean)`, color, dash, points: mean, band });
        }
      });
    });
  }
  box.dataset.epochs = String(ids.reduce((sum, id) => sum + (store[id] || []).length, 0));
  box.replaceChildren(legend(leg), el('div', { class: 'panels' },
    ...panels.map(([name], p) => plot({ title: name + ' (dashed: train, solid: validation)', xlabel: 'epoch', ylabel: name,
      series: series[p] }))));
}

async function viewCurves(main, compareBox) {
  const params = hashParams();
  let idText = params.get('runs') || [...state.selected].join(',');
  const input = el('input', { id: 'curve-runs', value: idText, placeholder: 'run ids: 1,2,3' });
  const groupSel = el('select', { id: 'group' }, el('option', { value: '' }, 'no grouping'));
  const box = el('div', { id: 'curves' });
  const live = el('span', { class: 'muted', id: 'live' });
  const target = compareBox || main;
  if (!compareBox) {
    target.replaceChildren(el('h2', {}, 'Curves'),
      el('div', { class: 'toolbar' }, 'runs ', input,
        el('button', { on: { click: () => { location.hash = '#curves?runs=' + input.value.replace(/\s+/g, ''); } } }, 'Show'),
        'group by ', groupSel, live), box);
  } else {
    target.append(el('h2', {}, 'Curves'), box);
  }
  if (!idText) { box.replaceChildren(el('p', { class: 'muted' }, 'Choose runs: select them in the Runs view, or type ids.')); return; }
  const ids = idText.split(',').map(Number).filter((x) => x > 0).slice(0, 1000);
  const store = {};
  let cursor = 0;
  const t0 = performance.now();
  const data = await api(`/api/epochs?runs=${ids.join(',')}`);
  const byId = Object.fromEntries(data.runs.map((r) => [r.id, withColumns(r)]));
  const keys = new Set();
  for (const id of ids) for (const k of Object.keys((byId[id] || {}).config || {})) keys.add(k);
  for (const k of [...keys].sort()) groupSel.append(el('option', { value: k }, k));
  addEpochs(store, data.epochs);
  cursor = data.cursor;
  const redraw = () => drawCurves(box, ids, store, byId, groupSel.value);
  redraw();
  box.dataset.ms = String(Math.round(performance.now() - t0));
  groupSel.addEventListener('change', redraw);
  // Live: while a chosen run is running, ask every second for epochs past the cursor.
  const running = () => data.runs.some((r) => r.status === 'running');
  if (state.poll) clearInterval(state.poll);
  if (!compareBox && running()) {
    live.textContent = 'live: new epochs appear as they are written';
    state.poll = setInterval(async () => {
      try {
        const d = await api(`/api/epochs?runs=${ids.join(',')}&since=${cursor}`);
        cursor = d.cursor;
        data.runs = d.runs;
        if (d.epochs.length) { addEpochs(store, d.epochs); redraw(); }
        if (!running()) { clearInterval(state.poll); state.poll = null; live.textContent = 'finished'; }
      } catch (e) { /* the banner says it */ }
    }, 1000);
  }
}

// ---- sweeps --------------------------------------------------------------------
async function viewSweeps(main) {
  const params = hashParams();
  const data = await api('/api/sweeps');
  const list = el('table', { id: 'sweeps-table' }, el('tr', {}, ...['sweep', 'name', 'runs', 'finished', 'running', 'host', 'created'].map((h) => el('th', {}, h))));
  for (const w of data.sweeps) {
    list.append(el('tr', {},
      el('td', {}, el('a', { href: `#sweeps?id=${w.id}` }, String(w.id))), el('td', {}, w.name || ''),
      el('td', { class: 'num' }, w.runs), el('td', { class: 'num' }, w.finished), el('td', { class: 'num' }, w.running),
      el('td', {}, w.host || ''), el('td', {}, w.created)));
  }
  const box = el('div', { id: 'sweep' });
  main.replaceChildren(el('h2', {}, 'Sweeps'), data.sweeps.length ? list : el('p', { class: 'muted' }, 'No sweeps in this lab database.'), box);
  const id = params.get('id') || (data.sweeps.length ? data.sweeps[data.sweeps.length - 1].id : null);
  if (id) await drawSweep(box, id);
}

async function drawSweep(box, id) {
  const s = await api(`/api/sweeps/${encodeURIComponent(id)}`);
  const lines = new Map(), hlines = [];
  let c = 0;
  for (const p of s.points) {
    const name = `${p.cell} ${p.kind}${p.setting ? ' ' + p.setting : ''}`;
    const info = { runs: p.runs, tip: `${p.n} run(s): ${p.runs.join(', ')}\nmean ${fmt(p.mean)} ± ${fmt(p.sd)}\nclick: compare them` };
    if (p.baseline) { hlines.push({ y: p.mean, color: COLORS[c++ % COLORS.length], name: `${name} (one-hot baseline, ${p.n} runs)` }); continue; }
    if (!lines.has(name)) lines.set(name, { name, color: COLORS[c++ % COLORS.length], points: [], err: [] });
    lines.get(name).points.push([p.dim, p.mean, info]);
    lines.get(name).err.push([p.dim, p.mean, p.sd]);
  }
  const series = [...lines.values()];
  const open = (info) => { location.hash = `#compare?runs=${info.runs.slice(0, 16).join(',')}`; };
  box.replaceChildren(el('h2', {}, `Sweep ${s.id}${s.name ? ': ' + s.name : ''}`),
    legend(series.concat(hlines)),
    plot({ title: 'test accuracy against embedding size (mean ± sd over seeds)', xlabel: 'dim', ylabel: 'test accuracy',
      series, hlines, xlog2: true, onPoint: open, width: 640, height: 380, pointRadius: 4, clamp: [0, 1] }));
  // Any config field against accuracy, one point per run.
  const runs = (await api(`/api/runs?sweep=${s.id}`)).runs.map(withColumns).filter((r) => Number.isFinite(r.test_acc));
  const keys = new Set();
  for (const r of runs) for (const [k, v] of Object.entries(r.config || {})) if (typeof v === 'number') keys.add(k);
  const sel = el('select', { id: 'scatter-field' }, ...[...keys].sort().map((k) => el('option', { value: k }, k)));
  const sc = el('div', {});
  const drawScatter = () => {
    const k = sel.value;
    sc.replaceChildren(plot({ title: `test accuracy against ${k}, one point per run`, xlabel: k, ylabel: 'test accuracy',
      series: [{ name: 'runs', color: '#1f77b4', scatter: true, points: runs.map((r) => [r.config[k], r.test_acc, { runs: [r.id], tip: runLabel(r) }]) }],
      onPoint: open, width: 640, height: 320, pointRadius: 3 }));
  };
  if (keys.size) {
    if (keys.has('dim')) sel.value = 'dim';
    sel.addEventListener('change', drawScatter);
    box.append(el('div', { class: 'toolbar' }, 'field ', sel), sc);
    drawScatter();
  }
  box.append(parallelPanel(runs, open));
}

// Parallel coordinates: the chosen config fields and test accuracy as
// parallel axes, one line per run; hover names the run, a click opens it.
// The fields offered are those whose values differ between the runs; at
// first those with at most 12 distinct values, and accuracy always last.
function parallelPanel(runs, open) {
  if (!runs.length) return el('div', {});
  const distinct = (k) => new Set(runs.map((r) => JSON.stringify(r.config[k]))).size;
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.config || {})))].filter((k) => distinct(k) > 1).sort();
  const chosen = new Set(keys.filter((k) => distinct(k) <= 12));
  const out = el('div', { id: 'parcoords' });
  const boxes = keys.map((k) => {
    const cb = el('input', { type: 'checkbox', checked: chosen.has(k), 'data-field': k });
    cb.addEventListener('change', () => { if (cb.checked) chosen.add(k); else chosen.delete(k); draw(); });
    return el('label', {}, cb, k);
  });
  const draw = () => out.replaceChildren(parallelPlot(runs, keys.filter((k) => chosen.has(k)), open));
  draw();
  return el('div', {}, el('h2', {}, 'Configuration fields and accuracy, one line per run'),
    el('div', { class: 'toolbar', id: 'pc-fields' }, 'fields: ', ...boxes), out);
}

// The SVG of parallelPanel for fields (and test accuracy): a numeric axis
// runs from its least to its largest value; any other lists its values.
function parallelPlot(runs, fields, open) {
  const axes = fields.map((k) => ({ name: k, get: (r) => r.config[k] }))
    .concat([{ name: 'test accuracy', get: (r) => r.test_acc }]);
  const W = Math.max(480, 140 * axes.length), H = 340, T = 30, B = 24, L = 60, R = 60;
  const s = svg('svg', { class: 'plot', id: 'pc-svg', width: W, height: H, viewBox: `0 0 ${W} ${H}` });
  const ax = (i) => L + (axes.length > 1 ? i * (W - L - R) / (axes.length - 1) : 0);
  for (const a of axes) {
    const vals = runs.map(a.get);
    a.numeric = vals.every((v) => typeof v === 'number');
    if (a.numeric) {
      a.lo = Math.min(...vals); a.hi = Math.max(...vals);
      a.y = (v) => T + (1 - (a.hi > a.lo ? (v - a.lo) / (a.hi - a.lo) : 0.5)) * (H - T - B);
      // A field of a few whole values (seeds, dims) is labelled at each of
      // them, never at a value no run can have (seed 1.5).
      const whole = [...new Set(vals)].sort((x, y) => x - y);
      a.ticks = whole.every(Number.isInteger) && whole.length <= 8 ? whole
        : a.hi > a.lo ? [a.lo, (a.lo + a.hi) / 2, a.hi] : [a.lo];
    } else {
      a.cats = [...new Set(vals.map((v) => fmt(v)))].sort();
      a.y = (v) => T + (a.cats.length > 1 ? a.cats.indexOf(fmt(v)) / (a.cats.length - 1) : 0.5) * (H - T - B);
      a.ticks = a.cats;
    }
  }
  axes.forEach((a, i) => {
    s.append(svg('line', { class: 'axis', x1: ax(i), x2: ax(i), y1: T, y2: H - B }));
    s.append(svg('text', { x: ax(i), y: T - 12, 'text-anchor': 'middle', 'font-weight': 'bold' }, a.name));
    for (const t of a.ticks) {
      s.append(svg('text', { x: ax(i) - 4, y: (a.numeric ? a.y(t) : a.y(t)) + 4, 'text-anchor': 'end' },
        a.numeric ? Number(t.toPrecision(4)).toString() : t));
    }
  });
  runs.forEach((r, n) => {
    const pts = axes.map((a, i) => `${ax(i)},${a.y(a.get(r))}`).join(' ');
    const line = svg('polyline', { class: 'pc-line', points: pts, fill: 'none', stroke: COLORS[n % COLORS.length],
      'stroke-width': 1.5, 'stroke-opacity': 0.6, 'data-run': r.id, cursor: 'pointer' });
    const tip = `${runLabel(r)}\n` + axes.map((a) => `${a.name}: ${fmt(a.get(r))}`).join('\n') + '\nclick: open it';
    line.addEventListener('mousemove', (ev) => { showTip(ev, tip); line.setAttribute('stroke-width', 4); });
    line.addEventListener('mouseleave', () => { hideTip(); line.setAttribute('stroke-width', 1.5); });
    line.addEventListener('click', () => open({ runs: [r.id] }));
    s.append(line);
  });
  return s;
}

// ---- compare --------------------------------------------------------------------
async function viewCompare(main) {
  const ids = hashParams().get('runs') || [...state.selected].join(',');
  const input = el('input', { id: 'compare-runs', value: ids, placeholder: 'run ids: 1,2' });
  main.replaceChildren(el('h2', {}, 'Compare'), el('div', { class: 'toolbar' }, 'runs ', input,
    el('button', { on: { click: () => { location.hash = '#compare?runs=' + input.value.replace(/\s+/g, ''); } } }, 'Compare')));
  if (!ids) { main.append(el('p', { class: 'muted' }, 'Choose two or more runs.')); return; }
  const c = await api(`/api/compare?runs=${encodeURIComponent(ids)}`);
  const metrics = [['status', 'status'], ['test_acc', 'test acc'], ['test_loss', 'test loss'], ['val_acc', 'val acc'],
    ['best_epoch', 'best epoch'], ['epochs', 'epochs'], ['params', 'parameters'], ['sec_per_epoch', 's/epoch'], ['host', 'host']];
  const t = el('table', { id: 'compare-table' }, el('tr', {}, el('th', {}, ''), ...c.runs.map((r) => el('th', {}, `run ${r.id}`))));
  for (const [k, label] of metrics) t.append(el('tr', {}, el('th', {}, label), ...c.runs.map((r) => el('td', { class: 'num' }, fmt(r[k])))));
  for (const k of c.differs) t.append(el('tr', { class: 'diff' }, el('th', {}, k), ...c.runs.map((r) => el('td', {}, fmt(r.config[k])))));
  main.append(el('p', {}, `${c.differs.length} configuration field(s) differ (shaded); the others are equal.`), t);
  if (c.missing.length) main.append(el('p', { class: 'status-failed' }, `No such run: ${c.missing.join(', ')}`));
  if (c.disagree) {
    const d = el('table', { id: 'disagree' }, el('tr', {}, el('th', {}, 'test review'), el('th', {}, 'label'),
      ...c.runs.map((r) => el('th', {}, `P(pos) run ${r.id}`)), el('th', {}, 'the review')));
    for (const x of c.disagree.slice(0, 500)) {
      d.append(el('tr', {}, el('td', { class: 'num' }, x.review), el('td', {}, x.label ? 'positive' : 'negative'),
        ...x.probs.map((p) => el('td', { class: 'num' }, fmt(p, 3))),
        // As text, whatever it holds (a review's <br /> shows as written).
        el('td', { class: 'review' + (x.raw ? '' : ' muted'), title: x.raw ? null : 'its words (its text could not be read)' }, x.text || '')));
    }
    main.append(el('h2', {}, `Disagreements: ${c.disagree_count} of ${c.reviews} test reviews` +
      (c.disagree_count > c.disagree.length ? ` (the first ${c.disagree.length} listed)` : '')));
    if (c.text_error) main.append(el('p', { class: 'muted' }, 'No review text: ' + c.text_error));
    main.append(el('div', { class: 'scroll' }, d));
  } else if (c.disagree_error) {
    main.append(el('p', { class: 'muted' }, 'No comparison of predictions: ' + c.disagree_error));
  }
  const box = el('div', {});
  main.append(box);
  await viewCurves(null, box);
}

// ---- embeddings ------------------------------------------------------------------
async function viewEmbeddings(main) {
  const data = await api('/api/embeddings');
  state.embeddings = data.embeddings;
  const t = el('table', { id: 'emb-table' }, el('tr', {}, ...['id', 'name', 'trainer', 'tokenizer', 'dim', 'words', 'subwords', 'index', 'source', 'created'].map((h) => el('th', {}, h))));
  for (const e of data.embeddings) {
    t.append(el('tr', {}, el('td', {}, e.id), el('td', {}, e.name), el('td', {}, e.trainer), el('td', {}, e.tokenizer),
      el('td', { class: 'num' }, e.dim), el('td', { class: 'num' }, e.words), el('td', {}, e.subwords ? 'yes' : ''),
      el('td', {}, e.index ? 'yes' : ''), el('td', {}, e.source), el('td', {}, e.created)));
  }
  const pick = () => el('select', {}, ...data.embeddings.map((e) => el('option', { value: e.name }, e.name)));
  const nSel = pick(), aSel = pick(), pSel = pick();
  nSel.id = 'nearest-emb';
  pSel.id = 'proj-emb';
  const word = el('input', { id: 'nearest-word', placeholder: 'a word' });
  const k = el('input', { id: 'nearest-k', type: 'number', value: 10, min: 1, max: 200 });
  const nOut = el('div', { id: 'nearest-out' });
  const nearest = async (w) => {
    if (w !== undefined) word.value = w;
    try {
      const t0 = performance.now();
      const r = await api(`/api/nearest?embedding=${encodeURIComponent(nSel.value)}&word=${encodeURIComponent(word.value)}&k=${encodeURIComponent(k.value)}`);
      const q = r.query[0];
      let how = q.from === 'vocabulary' ? 'in the vocabulary' : `not in the vocabulary: built from ${q.known.length} known of its ${q.ngrams} character n-grams (${q.known.join(' ')})`;
      if (q.looked_up !== q.word) how += `; looked up as '${q.looked_up}'`;
      const tt = el('table', { id: 'nearest-table' }, el('tr', {}, el('th', {}, 'word'), el('th', {}, 'cosine')));
      for (const x of r.results) tt.append(el('tr', {}, el('td', {}, x.word), el('td', { class: 'num' }, f4(x.score))));
      nOut.replaceChildren(el('p', {}, `'${q.word}' ${how}. ${r.index ? 'Through the index' : 'Exact search'}, ${Math.round(performance.now() - t0)} ms.`), tt);
    } catch (e) { nOut.replaceChildren(el('p', { class: 'status-failed' }, e.message)); }
  };
  const a = el('input', { id: 'an-a', placeholder: 'a', size: 10 }), b = el('input', { id: 'an-b', placeholder: 'b', size: 10 }), c = el('input', { id: 'an-c', placeholder: 'c', size: 10 });
  const aOut = el('div', { id: 'analogy-out' });
  const analogy = async () => {
    try {
      const r = await api(`/api/analogy?embedding=${encodeURIComponent(aSel.value)}&a=${encodeURIComponent(a.value)}&b=${encodeURIComponent(b.value)}&c=${encodeURIComponent(c.value)}&k=5`);
      aOut.replaceChildren(el('ol', {}, ...r.results.map((x) => el('li', {}, `${x.word} (${f4(x.score)})`))));
    } catch (e) { aOut.replaceChildren(el('p', { class: 'status-failed' }, e.message)); }
  };
  word.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') nearest(); });
  const pn = el('input', { id: 'proj-n', type: 'number', value: 1000, min: 2, max: 20000 });
  const method = el('select', { id: 'proj-method' }, el('option', { value: 'pca' }, 'PCA (server)'),
    el('option', { value: 'umap' }, 'UMAP (in the page)'));
  const search = el('input', { id: 'proj-search', placeholder: 'highlight words containing…' });
  const canvasBox = el('div', { id: 'projector' });
  const onWord = (w) => { nSel.value = pSel.value; nearest(w); };
  const project = async () => {
    stopLayout();
    canvasBox.replaceChildren(el('p', { class: 'muted' }, 'computing…'));
    try {
      const t0 = performance.now();
      if (method.value === 'umap') return await projectUmap(canvasBox, pSel.value, pn.value, search, onWord);
      const r = await api(`/api/project?embedding=${encodeURIComponent(pSel.value)}&n=${encodeURIComponent(pn.value)}&method=pca`);
      drawProjector(canvasBox, r, search, onWord);
      canvasBox.dataset.ms = String(Math.round(performance.now() - t0));
    } catch (e) { canvasBox.replaceChildren(el('p', { class: 'status-failed' }, e.message)); }
  };
  main.replaceChildren(el('h2', {}, 'Embeddings'), t,
    el('div', { class: 'cols' },
      el('div', {}, el('h2', {}, 'Nearest words'), el('div', { class: 'toolbar' }, nSel, word, 'k', k,
        el('button', { id: 'nearest-btn', on: { click: () => nearest() } }, 'Nearest')), nOut),
      el('div', {}, el('h2', {}, 'Analogy: a is to b as c is to …'), el('div', { class: 'toolbar' }, aSel, a, b, c,
        el('button', { id: 'analogy-btn', on: { click: analogy } }, 'Solve')), aOut)),
    el('h2', {}, 'Projector of the most frequent words (PCA on the server, or UMAP laid out in the page)'),
    el('div', { class: 'toolbar' }, pSel, 'words', pn, method, el('button', { id: 'project-btn', on: { click: project } }, 'Project'), search),
    canvasBox);
  if (!data.embeddings.length) main.append(el('p', { class: 'muted' }, 'No embeddings in this lab database.'));
  main.append(alignPanel(pick));
}

// Two embeddings aligned by orthogonal Procrustes over their shared words:
// which words moved most.
function alignPanel(pick) {
  const a = pick(), b = pick();
  a.id = 'align-a'; b.id = 'align-b';
  if (b.options.length > 1) b.selectedIndex = 1;
  const n = el('input', { id: 'align-n', type: 'number', value: 5000, min: 2, max: 20000 });
  const out = el('div', { id: 'align-out' });
  const go = async () => {
    out.replaceChildren(el('p', { class: 'muted' }, 'aligning…'));
    try {
      const r = await api(`/api/align?a=${encodeURIComponent(a.value)}&b=${encodeURIComponent(b.value)}&n=${encodeURIComponent(n.value)}&top=30`);
      const table = (id, rows) => el('table', { id }, el('tr', {}, el('th', {}, 'word'), el('th', {}, 'cosine after alignment')),
        ...rows.map((x) => el('tr', {}, el('td', {}, x.word), el('td', { class: 'num' }, f4(x.cos)))));
      out.replaceChildren(el('p', {}, `${r.shared} shared words, ${r.dims[0]} against ${r.dims[1]} dimensions; mean cosine after alignment ${f4(r.mean_cos)}.`),
        el('div', { class: 'cols' }, el('div', {}, el('h2', {}, 'Moved most'), table('align-most', r.moved_most)),
          el('div', {}, el('h2', {}, 'Moved least'), table('align-least', r.moved_least))));
    } catch (e) { out.replaceChildren(el('p', { class: 'status-failed' }, e.message)); }
  };
  return el('div', {}, el('h2', {}, 'Two embeddings aligned (orthogonal Procrustes over the shared words)'),
    el('div', { class: 'toolbar' }, a, 'against', b, 'most frequent words', n,
      el('button', { id: 'align-btn', on: { click: go } }, 'Align')), out);
}

// ---- the UMAP projector: neighbours from the server, layout in a worker ----------
// The running layout's worker, ended by Cancel, a new projection or leaving the view.
function stopLayout() {
  if (state.layoutWorker) { state.layoutWorker.terminate(); state.layoutWorker = null; }
}

// Asks /api/knn for the top n words' neighbour graph, then lays it out in
// web/assets/layout.js (a Web Worker), drawing the positions as they come
// with a progress bar (epoch, ETA) and a Cancel button. state.layout holds
// the last positions (words, xy, done) for a look from the tests.
async function projectUmap(box, name, n, search, onWord) {
  const t0 = performance.now();
  const g = await api(`/api/knn?embedding=${encodeURIComponent(name)}&n=${encodeURIComponent(n)}&k=15`);
  const knnMs = Math.round(performance.now() - t0);
  const bar = el('progress', { id: 'proj-progress', max: 1, value: 0 });
  const label = el('span', { id: 'proj-progress-text' }, `neighbours of ${g.n} words in ${knnMs} ms; laying out…`);
  const cancel = el('button', { id: 'proj-cancel', on: { click: () => {
    stopLayout(); label.textContent += ' (cancelled)'; box.dataset.cancelled = '1'; cancel.disabled = true; } } }, 'Cancel');
  const drawBox = el('div', {});
  box.replaceChildren(el('div', { class: 'toolbar' }, bar, label, cancel), drawBox);
  box.dataset.knnMs = String(knnMs);
  box.dataset.progress = '0';
  box.dataset.done = '';
  box.dataset.cancelled = '';
  const epochs = g.n > 10000 ? 200 : 500;
  const worker = new Worker('/layout.js');
  state.layoutWorker = worker;
  const t1 = performance.now();
  state.layout = { words: g.words, xy: null, done: false };
  worker.onmessage = (m) => {
    const { type, epoch, xy } = m.data;
    const spent = (performance.now() - t1) / 1000;
    state.layout.xy = xy;
    box.dataset.progress = String(Number(box.dataset.progress) + 1);
    bar.value = epoch / epochs;
    drawProjector(drawBox, { words: g.words, xy }, search, onWord);
    if (type === 'done') {
      state.layout.done = true;
      state.layoutWorker = null;
      worker.terminate();
      cancel.disabled = true;
      box.dataset.done = '1';
      box.dataset.layoutMs = String(Math.round(performance.now() - t1));
      label.textContent = `UMAP of ${g.n} words: neighbours ${knnMs} ms on the server, layout ${spent.toFixed(1)} s here (${epochs} epochs)`;
    } else {
      label.textContent = `epoch ${epoch} of ${epochs}, ETA ${fmtSeconds(spent / epoch * (epochs - epoch))}`;
    }
  };
  worker.onerror = (e) => { label.textContent = 'the layout failed: ' + e.message; };
  worker.postMessage({ n: g.n, k: g.k, nbr: Int32Array.from(g.nbr), sim: Float32Array.from(g.sim), epochs, seed: 1 });
}

// A canvas of the projected words: search highlights, a click asks for the
// nearest words of the word under the pointer.
function drawProjector(box, r, search, onWord) {
  const W = 820, H = 560, n = r.words.length;
  const cv = el('canvas', { class: 'projector', width: W, height: H, id: 'proj-canvas' });
  const xs = [], ys = [];
  for (let i = 0; i < n; i++) { xs.push(r.xy[2 * i]); ys.push(r.xy[2 * i + 1]); }
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const px = (x) => 20 + (x - x0) / ((x1 - x0) || 1) * (W - 40), py = (y) => 20 + (1 - (y - y0) / ((y1 - y0) || 1)) * (H - 40);
  const draw = () => {
    const ctx = cv.getContext('2d');
    const q = search.value.trim().toLowerCase();
    ctx.clearRect(0, 0, W, H);
    ctx.font = '11px sans-serif';
    let hits = 0;
    for (let i = 0; i < n; i++) {
      const hit = q && r.words[i].toLowerCase().includes(q);
      ctx.fillStyle = hit ? '#d62728' : (q ? '#90a4ae' : '#1f77b4');
      ctx.fillRect(px(xs[i]) - 1.5, py(ys[i]) - 1.5, hit ? 4 : 3, hit ? 4 : 3);
      if (hit || (!q && i < 40)) { ctx.fillStyle = hit ? '#b71c1c' : '#333'; ctx.fillText(r.words[i], px(xs[i]) + 4, py(ys[i]) - 3); }
      if (hit) hits++;
    }
    info.textContent = `${n} words` + (q ? `, ${hits} match '${search.value}'` : '') + '. Click a point for its nearest words.';
  };
  const info = el('p', { class: 'muted', id: 'proj-info' });
  const nearestIndex = (ev) => {
    const rect = cv.getBoundingClientRect(), mx = ev.clientX - rect.left, my = ev.clientY - rect.top;
    let best = -1, bd = 64;
    for (let i = 0; i < n; i++) {
      const d = (px(xs[i]) - mx) ** 2 + (py(ys[i]) - my) ** 2;
      if (d < bd) { bd = d; best = i; }
    }
    return best;
  };
  cv.addEventListener('mousemove', (ev) => { const i = nearestIndex(ev); if (i >= 0) showTip(ev, r.words[i]); else hideTip(); });
  cv.addEventListener('mouseleave', hideTip);
  cv.addEventListener('click', (ev) => { const i = nearestIndex(ev); if (i >= 0) onWord(r.words[i]); });
  search.oninput = draw;
  box.replaceChildren(info, cv);
  draw();
  cv.dataset.points = String(n);
}

// ---- predict -------------------------------------------------------------------
async function viewPredict(main) {
  if (!state.runs.length) await loadRuns();
  const finished = state.runs.filter((r) => r.kind === 'classifier' && r.status === 'finished');
  const chosen = state.selected.size ? [...state.selected] : finished.slice(-5).map((r) => r.id);
  const ids = el('input', { id: 'predict-runs', value: chosen.join(','), placeholder: 'run ids' });
  const text = el('textarea', { id: 'predict-text', placeholder: 'Type a review…' });
  const out = el('div', { id: 'predict-out' });
  const go = async () => {
    const runs = ids.value.split(',').map((x) => parseInt(x, 10)).filter((x) => x > 0);
    try {
      const r = await api('/api/predict', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ runs, text: text.value }) });
      const byId = Object.fromEntries(state.runs.map((x) => [x.id, x]));
      const t = el('table', { id: 'predict-table' }, el('tr', {}, ...['run', 'tokenizer', 'P(positive)', ''].map((h) => el('th', {}, h))));
      for (const p of r.predictions) {
        t.append(el('tr', {}, el('td', {}, runLabel(byId[p.run] || { id: p.run })), el('td', {}, p.tokenizer || ''),
          el('td', { class: 'num' }, p.error ? '' : fmt(p.p, 3)),
          el('td', { class: p.error ? 'status-failed' : '' }, p.error || (p.p >= 0.5 ? 'positive' : 'negative'))));
      }
      out.replaceChildren(t);
    } catch (e) { out.replaceChildren(el('p', { class: 'status-failed' }, e.message)); }
  };
  main.replaceChildren(el('h2', {}, 'Predict'), el('div', { class: 'toolbar' }, 'runs ', ids), text,
    el('div', {}, el('button', { id: 'predict-btn', on: { click: go } }, 'Predict')), out);
}

// ---- navigation -------------------------------------------------------------------
const VIEWS = { runs: viewRuns, curves: viewCurves, sweeps: viewSweeps, compare: viewCompare, embeddings: viewEmbeddings,
  predict: viewPredict };

async function route() {
  const name = (location.hash.slice(1).split('?')[0]) || 'runs';
  const view = VIEWS[name] || viewRuns;
  if (state.poll) { clearInterval(state.poll); state.poll = null; }
  stopLayout();
  hideTip();
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === name);
  const main = document.getElementById('main');
  main.dataset.ready = '';
  try {
    await view(main);
  } catch (e) {
    main.append(el('p', { class: 'status-failed', id: 'view-error' }, e.message));
  }
  main.dataset.ready = name;
}

async function start() {
  window.addEventListener('hashchange', route);
  // The header's counts and the view load side by side.
  api('/api/status').then((s) => {
    document.getElementById('dbinfo').textContent = `${s.db}: ${s.runs} runs, ${s.embeddings} embeddings, ${s.sweeps} sweeps (read-only)`;
  }, () => { /* the banner says it */ });
  await route();
}
start();
