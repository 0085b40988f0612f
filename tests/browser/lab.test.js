// tests/browser/lab.test.js: embedlab serve in headless Chromium (Debian's
// /usr/bin/chromium driven by puppeteer-core). Opens every view against the
// fixture lab.db of tests/serve_fixture.sh and checks what a person sees;
// saves a screenshot of each view. Prints "ok N - ..." / "not ok N - ..."
// lines that scripts/run-tests.sh counts.
//
// Usage: node lab.test.js URL OUTDIR EXPECT.json
//   EXPECT: {runs, acc: {run, text}, curveRuns, curvePoints, sweepPoints, word,
//            nearest: [...], unseen, predictRuns, projectN, planted: {name, n,
//            clusters}}, or {liveRun: ID} for the live test alone (a run
//            training now), or {manyRuns: N, bound: MS, curves: {runs, points,
//            bound}} for the runs view's and many runs' curves' times,
//            or {layout: {name, n}} for the UMAP projector's time alone
//            (scripts/bench-serve.sh)
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [url, outDir, expectFile] = process.argv.slice(2);
const expect = JSON.parse(fs.readFileSync(expectFile, 'utf8'));
let n = 0, bad = 0, problems = [];
function ok(cond, what, detail) {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else { bad++; console.log(`not ok ${n} - ${what}` + (detail !== undefined ? `: ${detail}` : '')); }
}

async function open(page, hash) {
  await page.goto(`${url}/${hash}`, { waitUntil: 'networkidle0' });
  const view = hash.slice(1).split('?')[0];
  await page.waitForFunction((v) => document.getElementById('main').dataset.ready === v, { timeout: 10000 }, view);
}
async function shot(page, name) {
  await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
}
const text = (page, sel) => page.$eval(sel, (e) => e.textContent).catch(() => null);

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('requestfailed', (r) => problems.push('request failed: ' + r.url()));

  if (expect.liveRun) {
    await live(page);
  } else if (expect.manyRuns) {
    await manyRuns(page);
  } else if (expect.layout) {
    await layoutTime(page);
  } else {
    await views(page);
  }
  ok(problems.length === 0, 'no console errors, page errors or failed requests', problems.join('; '));
  await browser.close();
  process.exit(bad ? 1 : 0);
}

// Every view against the fixture.
async function views(page) {
  // Runs: the count, a known accuracy, sorting, a filter.
  await open(page, '#runs');
  const count = await text(page, '#run-count');
  ok(count === `${expect.runs} of ${expect.runs} runs`, `runs view shows ${expect.runs} runs`, count);
  const row = await page.$$eval(`tr[data-run="${expect.acc.run}"] td`, (tds) => tds.map((t) => t.textContent));
  ok(row.includes(expect.acc.text), `run ${expect.acc.run}'s test accuracy ${expect.acc.text} is shown`, row.join('|'));
  await page.type('#filter', 'cell=lstm');
  await page.waitForFunction(() => /^1 of /.test(document.getElementById('run-count').textContent), { timeout: 5000 })
    .then(() => ok(true, 'filter cell=lstm leaves one run'), () => ok(false, 'filter cell=lstm leaves one run'));
  await shot(page, 'runs');

  // Curves of chosen runs: points drawn, two panels.
  await open(page, `#curves?runs=${expect.curveRuns}`);
  const pts = await page.$$eval('#curves circle.pt', (c) => c.length);
  ok(pts === expect.curvePoints, `curves draw ${expect.curvePoints} points`, pts);
  ok((await page.$$eval('#curves svg.plot', (s) => s.length)) === 2, 'curves have a loss and an accuracy panel');
  await page.select('#group', 'cell');
  const bands = await page.$$eval('#curves polygon', (p) => p.length);
  ok(bands > 0, 'grouped by cell: spread bands drawn', bands);
  await shot(page, 'curves');

  // Sweeps: points with error bars and one-hot baselines; a click opens the runs.
  await open(page, '#sweeps');
  const sweepPts = await page.$$eval('#sweep svg.plot circle.pt', (c) => c.length);
  ok(sweepPts >= expect.sweepPoints, `sweep plot has its ${expect.sweepPoints} points and a scatter`, sweepPts);
  const baselines = await page.$$eval('#sweep svg.plot line[stroke-dasharray]', (l) => l.length);
  ok(baselines === 2, 'two one-hot baselines drawn', baselines);
  await page.hover('#sweep svg.plot circle.pt');
  const tip = await text(page, '#tip');
  ok(/run\(s\): \d/.test(tip || ''), 'hovering a sweep point lists its runs', tip);
  // Parallel coordinates: a line per run with accuracy, the chosen fields as axes.
  const pc = await page.evaluate(() => ({ lines: document.querySelectorAll('#pc-svg polyline.pc-line').length,
    axes: document.querySelectorAll('#pc-svg line.axis').length,
    fields: [...document.querySelectorAll('#pc-fields input:checked')].map((c) => c.dataset.field) }));
  ok(pc.lines === expect.sweepRuns && pc.axes === pc.fields.length + 1 && pc.fields.includes('cell'),
    `parallel coordinates: ${expect.sweepRuns} runs over the chosen fields and accuracy`, JSON.stringify(pc));
  await shot(page, 'sweeps');
  // Hover a line on its way to the accuracy axis: the tip names the run; a click opens it.
  const at = await page.$eval('#pc-svg polyline.pc-line:last-of-type', (l) => {
    l.ownerSVGElement.scrollIntoView({ block: 'center' });
    const pts = l.getAttribute('points').split(' ').map((p) => p.split(',').map(Number));
    const [a, b] = pts.slice(-2); // the middle of its last segment: on the line whatever the caps
    const m = l.getScreenCTM(); // the SVG's user units to the viewport's pixels (past its border)
    const x = (a[0] + b[0]) / 2, y = (a[1] + b[1]) / 2;
    return { x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f, run: l.dataset.run };
  });
  await page.mouse.move(at.x, at.y);
  const pcTip = await text(page, '#tip');
  ok(new RegExp(`^run ${at.run} `).test(pcTip || ''), 'hovering a parallel-coordinates line names its run', pcTip);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => document.getElementById('main').dataset.ready === 'compare', { timeout: 10000 })
    .then(() => ok(decodeURIComponent(page.url()).endsWith(`#compare?runs=${at.run}`), 'clicking the line opens its run',
      page.url()), () => ok(false, 'clicking a parallel-coordinates line opens its run'));
  await open(page, '#sweeps');
  await page.click('#sweep svg.plot circle.pt');
  await page.waitForFunction(() => document.getElementById('main').dataset.ready === 'compare', { timeout: 10000 })
    .then(() => ok(true, 'clicking a sweep point opens its runs in compare'), () => ok(false, 'clicking a sweep point opens compare'));

  // Compare: differing fields, metrics, disagreements, curves.
  await open(page, `#compare?runs=${expect.curveRuns}`);
  const diffs = await page.$$eval('#compare-table tr.diff th', (t) => t.map((x) => x.textContent));
  ok(diffs.includes('cell') && diffs.includes('seed'), 'compare lists cell and seed as differing', diffs.join(','));
  ok(!diffs.includes('vocab'), 'compare leaves out equal fields');
  ok((await page.$('#disagree')) !== null, 'compare lists the reviews the runs disagree on');
  const review = await page.$eval('#disagree td.review', (td) => ({ text: td.textContent, kids: td.children.length }));
  ok(/^[A-Z].*!! <br \/><br \/>& "<>"$/.test(review.text) && review.kids === 0,
    'compare shows a review as written, its markup as text', JSON.stringify(review));
  await shot(page, 'compare');

  // Embeddings: nearest words of a known word, an unseen word from subwords, the projector.
  await open(page, '#embeddings');
  await page.type('#nearest-word', expect.word);
  await page.click('#nearest-btn');
  await page.waitForSelector('#nearest-table');
  const words = await page.$$eval('#nearest-table td:first-child', (t) => t.map((x) => x.textContent));
  ok(JSON.stringify(words) === JSON.stringify(expect.nearest), `nearest words of '${expect.word}' as the CLI gives them`,
    words.join(' '));
  await page.click('#project-btn');
  await page.waitForSelector('#proj-canvas');
  const drawn = await page.$eval('#proj-canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
    return { points: Number(c.dataset.points), ink };
  });
  ok(drawn.points === expect.projectN && drawn.ink > 50, `projector draws ${expect.projectN} words`, JSON.stringify(drawn));
  await page.type('#proj-search', expect.word);
  const info = await text(page, '#proj-info');
  ok(/1 match/.test(info || ''), 'projector search highlights the word', info);
  await umap(page);
  await page.click('#align-btn');
  await page.waitForSelector('#align-most', { timeout: 10000 }).catch(() => null);
  const aligned = await text(page, '#align-out');
  ok(new RegExp(`^${expect.projectN} shared words`).test(aligned || ''), 'two embeddings aligned: the shared words counted',
    aligned);
  await shot(page, 'embeddings');
  await page.$eval('#nearest-word', (e) => { e.value = ''; });
  await page.type('#nearest-word', expect.unseen);
  await page.click('#nearest-btn');
  await page.waitForFunction(() => /character n-grams/.test(document.getElementById('nearest-out').textContent),
    { timeout: 5000 }).then(() => ok(true, 'an unseen word is answered from its known n-grams'),
    () => ok(false, 'an unseen word is answered from its known n-grams'));

  // Predict: each chosen run's probability.
  await open(page, '#predict');
  await page.$eval('#predict-runs', (e, v) => { e.value = v; }, expect.predictRuns);
  await page.type('#predict-text', 'a great film, loved the story');
  await page.click('#predict-btn');
  await page.waitForSelector('#predict-table');
  const probs = await page.$$eval('#predict-table td.num', (t) => t.map((x) => Number(x.textContent)));
  ok(probs.length === expect.predictRuns.split(',').length && probs.every((p) => p > 0 && p < 1),
    'predict gives each run a probability', probs.join(','));
  await shot(page, 'predict');

}

// The UMAP projector on the planted embedding (expect.planted: n words in
// clusters, word "pC_I" in cluster C): progress shown while a worker lays it
// out, the page's own timer ticking all the while (the main thread is never
// blocked long), points drawn, and every word nearer (on average) to its own
// cluster than to any other. Then the tiny embedding, cancelled midway or done.
async function umap(page) {
  const pl = expect.planted;
  await page.select('#proj-emb', pl.name);
  await page.select('#proj-method', 'umap');
  await page.$eval('#proj-n', (e, v) => { e.value = v; }, String(pl.n));
  await page.evaluate(() => {
    window.ticks = { n: 0, maxGap: 0, last: performance.now() };
    window.tickTimer = setInterval(() => {
      const now = performance.now();
      window.ticks.maxGap = Math.max(window.ticks.maxGap, now - window.ticks.last);
      window.ticks.last = now;
      window.ticks.n++;
    }, 10);
  });
  await page.click('#project-btn');
  await page.waitForSelector('#proj-progress', { timeout: 20000 });
  await page.evaluate(() => { window.ticks.last = performance.now(); window.ticks.maxGap = 0; window.ticks.n = 0; });
  const sawProgress = await page.waitForFunction(() => /^epoch \d+ of \d+, ETA/.test(
    document.getElementById('proj-progress-text').textContent), { timeout: 60000, polling: 5 }).then(() => true, () => false);
  await page.waitForFunction(() => document.getElementById('projector').dataset.done === '1', { timeout: 120000 });
  const r = await page.evaluate(() => {
    clearInterval(window.tickTimer);
    const box = document.getElementById('projector');
    return { ticks: window.ticks.n, maxGap: window.ticks.maxGap, progress: Number(box.dataset.progress),
      layoutMs: Number(box.dataset.layoutMs), knnMs: Number(box.dataset.knnMs), words: state.layout.words,
      xy: Array.from(state.layout.xy), points: Number(document.getElementById('proj-canvas').dataset.points),
      label: document.getElementById('proj-progress-text').textContent };
  });
  ok(sawProgress && r.progress >= 2, 'UMAP: the progress bar counts epochs with an ETA', `${r.progress} updates`);
  ok(r.points === pl.n, `UMAP draws the ${pl.n} planted words`, r.points);
  // A 10 ms timer: the layout runs in a worker, so the page's own ticks keep
  // coming; a layout on the main thread would hold them for all of its time.
  // Generous (the machine may be loaded): ticks throughout, no gap over a
  // quarter of the layout's time or a second.
  ok(r.ticks >= 10 && r.maxGap < Math.max(1000, r.layoutMs / 4), 'UMAP: the main thread stays responsive while the layout runs',
    `${r.ticks} ticks in ${r.layoutMs} ms, longest gap ${Math.round(r.maxGap)} ms`);
  console.log(`# UMAP of ${pl.n} planted words: neighbours ${r.knnMs} ms (server), layout ${r.layoutMs} ms, ` +
    `timer ticks ${r.ticks}, longest gap ${Math.round(r.maxGap)} ms`);
  const cluster = r.words.map((w) => Number(w.split('_')[0].slice(1)));
  let wrong = 0;
  for (let i = 0; i < r.words.length; i++) {
    const sum = new Array(pl.clusters).fill(0), cnt = new Array(pl.clusters).fill(0);
    for (let j = 0; j < r.words.length; j++) {
      if (j === i) continue;
      sum[cluster[j]] += Math.hypot(r.xy[2 * i] - r.xy[2 * j], r.xy[2 * i + 1] - r.xy[2 * j + 1]);
      cnt[cluster[j]]++;
    }
    const own = sum[cluster[i]] / cnt[cluster[i]];
    if (sum.some((s, c) => c !== cluster[i] && s / cnt[c] <= own)) wrong++;
  }
  ok(wrong === 0, `UMAP: each of the ${pl.clusters} planted clusters comes out as its own cluster`,
    `${wrong} words nearer another cluster`);
  await shot(page, 'projector-umap');
  // Cancel: a second layout stopped by the button stays stopped.
  await page.click('#project-btn');
  await page.waitForSelector('#proj-cancel:not([disabled])', { timeout: 20000 });
  // The button's own click, in the page: a pointer click aims at where the
  // button was, and the canvas redrawn below it each epoch could move it
  // before the click lands (seen under load).
  await page.$eval('#proj-cancel', (b) => b.click());
  const cancelled = await page.evaluate(() => document.getElementById('projector').dataset.cancelled === '1' &&
    state.layoutWorker === null);
  ok(cancelled, 'UMAP: Cancel stops the layout');
  await page.select('#align-b', 'tiny'); // the align test below takes tiny against itself
}

// The runs view with many runs: from navigation (the Performance API's time
// origin) to the table drawn, then a click on a column header until the
// table is drawn sorted by it: the time to interactive, printed and bounded.
async function manyRuns(page) {
  await page.goto(`${url}/#runs`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.getElementById('main').dataset.ready === 'runs', { timeout: 60000, polling: 5 });
  const r = await page.evaluate(() => {
    const drawn = performance.now();
    const th = [...document.querySelectorAll('#runs-table th')].find((t) => t.textContent.startsWith('test acc'));
    const t0 = performance.now();
    th.click();
    const sorted = performance.now();
    const accs = [...document.querySelectorAll('#runs-table tbody tr[data-run]')].slice(0, 5).map((tr) => Number(tr.children[9].textContent));
    const accsAll = state.runs.map((x) => x.test_acc).filter(Number.isFinite);
    const res = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/runs'));
    const nav = performance.getEntriesByType('navigation')[0];
    return { drawn, sortMs: sorted - t0, accs, accsAll, count: document.getElementById('run-count').textContent,
      page: nav ? nav.domContentLoadedEventEnd : null, asked: res ? res.startTime : null,
      timing: document.getElementById('render-ms').textContent, server: res ? res.responseEnd - res.requestStart : null,
      bytes: res ? res.encodedBodySize : null,
      fetches: performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/runs')).length };
  });
  const total = r.drawn + r.sortMs;
  ok(r.count === `${expect.manyRuns} of ${expect.manyRuns} runs`, `the runs view lists ${expect.manyRuns} runs`, r.count);
  ok(r.accs.length === 5 && r.accs.every((a, i) => i === 0 || a >= r.accs[i - 1]), 'a click on test acc sorts them',
    r.accs.join(','));
  console.log(`# runs view with ${expect.manyRuns} runs: drawn ${Math.round(r.drawn)} ms after navigation, sorted by a ` +
    `click in ${Math.round(r.sortMs)} ms: interactive at ${Math.round(total)} ms (page loaded at ${Math.round(r.page)} ms, ` +
    `runs asked at ${Math.round(r.asked)} ms; the answer: ${r.bytes} bytes on the ` +
    `wire, ${Math.round(r.server)} ms from request to its end, ${r.fetches} fetch(es); ${r.timing})`);
  // Scrolled to the end: the last rows drawn, and still about 60 rows in the page.
  const end = await page.evaluate(async () => {
    const sc = document.getElementById('runs-scroll');
    sc.scrollTop = sc.scrollHeight;
    await new Promise((res) => setTimeout(res, 200));
    const trs = document.querySelectorAll('#runs-table tbody tr[data-run]');
    return { rows: trs.length, accs: [...trs].map((tr) => tr.children[9].textContent) };
  });
  ok(end.rows <= 100 && end.accs.includes(Math.max(...r.accsAll).toFixed(4)), 'scrolled to the end: the best run drawn, the rows ' +
    'in the page few', JSON.stringify(end));
  ok(total < expect.bound, `the runs view with ${expect.manyRuns} runs is interactive within ${expect.bound} ms`,
    `${Math.round(total)} ms`);
  await shot(page, 'runs-many');
  if (expect.curves) await manyCurves(page);
}

// The curves of expect.curves.runs (a list of ids, say 100 of them), opened
// from the runs view as a click would (a hash change): the time until both
// panels are drawn with every epoch's points, printed and bounded.
async function manyCurves(page) {
  const c = expect.curves;
  const ms = await page.evaluate(async (runs) => {
    const t0 = performance.now();
    location.hash = `#curves?runs=${runs}`;
    await new Promise((res) => {
      const tick = () => (document.getElementById('main').dataset.ready === 'curves' ? res() : setTimeout(tick, 2));
      tick();
    });
    return performance.now() - t0;
  }, c.runs);
  const pts = await page.$$eval('#curves circle.pt', (x) => x.length);
  const n = c.runs.split(',').length;
  console.log(`# curves of ${n} runs: drawn ${Math.round(ms)} ms after the click (${pts} points)`);
  ok(pts === c.points, `the curves of ${n} runs draw ${c.points} points`, pts);
  ok(ms < c.bound, `the curves of ${n} runs are drawn within ${c.bound} ms`, `${Math.round(ms)} ms`);
  await shot(page, 'curves-many');
}

// The UMAP projector of expect.layout's n words of embedding name: the
// server's neighbour graph and the page's layout, timed and printed.
async function layoutTime(page) {
  await open(page, '#embeddings');
  await page.select('#proj-emb', expect.layout.name);
  await page.select('#proj-method', 'umap');
  await page.$eval('#proj-n', (e, v) => { e.value = v; }, String(expect.layout.n));
  await page.click('#project-btn');
  await page.waitForFunction(() => document.getElementById('projector').dataset.done === '1',
    { timeout: 1800000, polling: 500 });
  const r = await page.$eval('#projector', (b) => ({ knn: b.dataset.knnMs, layout: b.dataset.layoutMs,
    points: document.getElementById('proj-canvas').dataset.points, label: document.getElementById('proj-progress-text').textContent }));
  ok(Number(r.points) === expect.layout.n, `UMAP of ${expect.layout.n} words drawn`, r.points);
  console.log(`# UMAP of ${r.points} words: the neighbour graph ${r.knn} ms (request to answer), the layout ${r.layout} ms in the page`);
  await shot(page, `projector-${expect.layout.n}`);
}

// A run training now gains epochs on the page without a reload: each time
// the server's epochs of the run grow (asked here directly, every 50 ms),
// the page must show them within 2 s (it polls every second).
async function live(page) {
  await open(page, `#curves?runs=${expect.liveRun}`);
  ok((await text(page, '#live')) !== '', 'the curves of a running run say they are live');
  const shown = () => page.$eval('#curves', (b) => Number(b.dataset.epochs || 0));
  const stored = async () => (await (await fetch(`${url}/api/epochs?runs=${expect.liveRun}`)).json()).epochs.length;
  for (let i = 0; i < 3; i++) {
    const have = await stored();
    let now = have;
    const deadline = Date.now() + 20000;
    while (now === have && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      now = await stored();
    }
    const t0 = Date.now();
    const seen = await page.waitForFunction((want) => Number(document.getElementById('curves').dataset.epochs) >= want,
      { timeout: 2000, polling: 50 }, now).then(() => true, () => false);
    ok(now > have && seen, `epoch ${now} of the training run is on the page ${Date.now() - t0} ms after it is ` +
      `stored, without a reload`, `page shows ${await shown()}`);
  }
  await shot(page, 'live');
}

main().catch((e) => { console.log(`not ok ${n + 1} - the browser test failed: ${e.message}`); process.exit(1); });
