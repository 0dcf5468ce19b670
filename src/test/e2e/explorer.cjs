#!/usr/bin/env node
// End-to-end test of the chainrule explorer: starts `java -jar JAR serve`, drives the page in
// headless Chromium (playwright-core + Debian's /usr/bin/chromium) and checks what a user sees.
//   node src/test/e2e/explorer.cjs target/chainrule.jar
// Env: E2E_MODULES (folder holding playwright-core; default ~/.cache/chainrule-e2e/node_modules),
//      E2E_CHROMIUM (default /usr/bin/chromium), E2E_SERVER_CMD (replaces "java -jar JAR", for a mock).
// Writes screenshots and figures.json to target/e2e/. Exits 1 with a message on any failed expectation;
// the time figures (edit to graph, boundary redraws) are reported, and fail only with E2E_STRICT_TIMING=1.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawn } = require('child_process');

const MODULES = process.env.E2E_MODULES || path.join(os.homedir(), '.cache/chainrule-e2e/node_modules');
let chromium;
try {
  ({ chromium } = require(path.join(MODULES, 'playwright-core')));
} catch (e) {
  console.error(`E2E FAILED: cannot load playwright-core from ${MODULES} (set E2E_MODULES): ${e.message}`);
  process.exit(1);
}
const JAR = process.argv[2] || 'target/chainrule.jar';
const OUT = path.join('target', 'e2e');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

let server = null, browser = null, page = null;
const consoleErrors = [];
const dialogs = [];   // what the page asked (window.confirm), each accepted
// 409s the server sent a page about a model since replaced ({"stale": true}): by the page itself
// ({"own": true}, silent) or by another page (the notice, checked in 6b). Part of the protocol,
// but Chromium logs each one as a failed resource.
let ownStale = 0, otherStale = 0;
const figures = { date: new Date().toISOString(), jar: JAR };

class Failure extends Error {}
function expect(ok, msg) { if (!ok) throw new Failure(msg); }
// Measured figures below their threshold fail the run too, but only at the end: the other steps still run.
const missed = [];
function expectFigure(ok, msg) { if (!ok) { missed.push(msg); log(`  MISSED: ${msg}`); } }
const log = (...a) => console.log(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

// ------------------------------------------------------------------ the server
function startServer() {
  const base = process.env.E2E_SERVER_CMD ? process.env.E2E_SERVER_CMD.split(' ').filter(Boolean) : ['java', '-jar', JAR];
  if (!process.env.E2E_SERVER_CMD && !fs.existsSync(JAR)) throw new Failure(`no jar at ${JAR}: build it first (mvn package)`);
  const args = [...base.slice(1), 'serve', '--example', 'backprop-2-2-2', '--port', '0'];
  log(`server: ${base[0]} ${args.join(' ')}`);
  server = spawn(base[0], args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  server.stderr.on('data', (d) => { err += d; if (err.length > 20000) err = err.slice(-20000); });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Failure(`the server printed no URL in 60 s; stdout: ${out.slice(-500)} stderr: ${err.slice(-1500)}`)), 60000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Failure(`the server exited (code ${code}) before printing its URL; stderr: ${err.slice(-1500)}`)); });
    server.on('error', (e) => { clearTimeout(timer); reject(new Failure(`cannot start the server: ${e.message}`)); });
  });
}
async function stopServer() {
  if (!server || server.exitCode !== null) return;
  const s = server;
  const gone = new Promise((r) => s.once('exit', r));
  s.kill('SIGTERM');
  await Promise.race([gone, sleep(5000)]);
  if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
}
process.on('exit', () => { if (server && server.exitCode === null) server.kill('SIGKILL'); });
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

// ------------------------------------------------------------------ helpers
let shotNo = 0;
async function shot(name) {
  shotNo++;
  const f = path.join(OUT, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: f });
  log(`  screenshot ${f}`);
  return f;
}
const text = (sel) => page.evaluate((s) => { const e = document.querySelector(s); return e ? e.textContent : null; }, sel);
async function waitFor(fn, arg, what, timeout = 15000) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 'raf' });
  } catch (e) {
    throw new Failure(`timed out (${timeout} ms) waiting for ${what}`);
  }
}
// Put text into the editor the way typing does: set the value, fire an input event. Returns the page's clock.
const setEditor = (value) => page.evaluate((v) => {
  const ed = document.getElementById('editor');
  ed.value = v;
  const t = performance.now();
  ed.dispatchEvent(new Event('input', { bubbles: true }));
  return t;
}, value);
const nodeText = (name) => page.evaluate((n) => {
  const g = [...document.querySelectorAll('#graph g.node')].find((x) => x.dataset.name === n);
  return g ? g.textContent : null;
}, name);

function request(url, headers) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', headers }, (res) => {
      let body = ''; res.on('data', (d) => { body += d; }); res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

// A wide-and-deep model of about `target` graph nodes: W chains of D layers, each link
// h_l_j = sin(h_{l-1}_j + h_{l-1}_{j+1}) * C, summed into E.
function bigModel(W, D, C) {
  const L = ['# generated by the explorer end-to-end test', 'param x = 0.5'];
  for (let j = 0; j < W; j++) L.push(`h1_${j} = sin(x * ${(1 + j / 10).toFixed(1)}) * ${C}`);
  for (let l = 2; l <= D; l++) for (let j = 0; j < W; j++) L.push(`h${l}_${j} = sin(h${l - 1}_${j} + h${l - 1}_${(j + 1) % W}) * ${C}`);
  L.push('E = ' + Array.from({ length: W }, (_, j) => `h${D}_${j}`).join(' + '));
  return L.join('\n') + '\n';
}

// ------------------------------------------------------------------ the steps
async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const url = await startServer();
  const u = new URL(url);
  const token = u.searchParams.get('token');
  log(`server at ${u.origin} (token ${token ? token.length + ' chars' : 'missing'})`);
  expect(token, `the server's URL has no token: ${url}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') { consoleErrors.push(m.text()); log(`  [console error] ${m.text()}`); } });
  page.on('pageerror', (e) => { consoleErrors.push(String(e)); log(`  [page error] ${e}`); });
  page.on('dialog', async (d) => { dialogs.push(d.message()); log(`  [the page asks] ${d.message()}`); await d.accept(); });
  page.on('response', async (r) => {
    if (r.status() !== 409) return;
    try {
      const b = await r.json();
      if (b.stale === true && b.own === true) ownStale++;
      else if (b.stale === true) otherStale++;
    } catch (_) { /* not JSON: counted as an error below */ }
  });
  page.on('requestfailed', (q) => {
    const f = q.failure() && q.failure().errorText;
    if (f !== 'net::ERR_ABORTED') log(`  [request failed] ${q.method()} ${q.url().replace(/token=[^&]*/, 'token=…')}: ${f}`);
  });

  // 1. the tutorial network, drawn
  log('1. open the page');
  await page.goto(url);
  await waitFor(() => window.explorerReady === true, null, 'the first model to be drawn (window.explorerReady)', 30000);
  const eText = await nodeText('E');
  log(`  node E: ${JSON.stringify(eText)}`);
  expect(eText !== null, 'no graph node with data-name="E"');
  expect(eText.includes('0.298371109'), `node E does not show the value 0.298371109: ${eText}`);
  const scroll = await page.evaluate(() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth]);
  log(`  page size ${scroll[0]}x${scroll[1]} (viewport 1400x900)`);
  expect(scroll[0] <= 900 && scroll[1] <= 1400, `the page scrolls at 1400x900: ${scroll[1]}x${scroll[0]}`);
  figures.tutorialE = '0.298371109';
  await shot('tutorial-graph');

  // 2. explain E wrt w1 by clicking w1
  log('2. click w1: explain');
  await page.click('#graph g.node[data-name="w1"]');
  await waitFor(() => (document.getElementById('explain-text').textContent || '').includes('0.000438567734'), null, 'the explanation of w1');
  const explain = await text('#explain');
  const math = await text('#explain-math');
  for (const f of ['0.0363503064', '0.241300709', '0.05', '0.000438567734']) {
    expect(explain.includes(f), `#explain lacks the tutorial factor ${f}`);
    expect(math.includes(f), `the KaTeX rendering lacks ${f}`);
  }
  const katexCount = await page.locator('#explain-math .katex').count();
  const hl = await page.evaluate(() => [document.querySelectorAll('#graph g.node.path').length, document.querySelectorAll('#graph path.edge.path').length, document.querySelectorAll('#graph .elabel').length]);
  log(`  explain shows 0.0363503064 · 0.241300709 · 0.05 = 0.000438567734 (KaTeX blocks: ${katexCount}; highlighted ${hl[0]} nodes, ${hl[1]} edges, ${hl[2]} local labels)`);
  expect(katexCount > 0, 'the explanation was not rendered by KaTeX');
  expect(hl[0] > 0 && hl[1] > 0, 'no highlighted paths after clicking w1');
  await shot('explain-w1');

  // 3. the backward stepper reaches w1
  log('3. backward stepper');
  await page.click('#tab-backward');
  await page.click('#step-next');
  await waitFor(() => /step 1 of \d+/.test(document.getElementById('step-counter').textContent), null, 'the first backward step');
  const n = Number(/of (\d+)/.exec(await text('#step-counter'))[1]);
  log(`  the reverse sweep has ${n} steps`);
  let found = false;
  for (let i = 1; i <= n; i++) {
    const label = await page.evaluate(() => document.getElementById('step-current').dataset.label);
    if (label === 'w1') { found = true; break; }
    if (i === n) break;
    await page.click('#step-next');
    await waitFor((k) => document.getElementById('step-counter').textContent.startsWith(`step ${k} of`), i + 1, `step ${i + 1}`);
  }
  const stepText = await text('#step-current');
  log(`  ${await text('#step-counter')}: ${stepText}`);
  expect(found, `no backward step for w1 in ${n} steps`);
  expect(stepText.includes('∂E/∂w1') && stepText.includes('0.000438567734'), `the w1 step does not show ∂E/∂w1 = … 0.000438567734: ${stepText}`);
  // over names (the default) the step is the tutorial's: ∂E/∂net_h1 times ∂net_h1/∂w1 = i1
  expect(stepText.includes('∂E/∂net_h1') && stepText.includes('0.00877135469 × 0.05') && stepText.includes('= i1 = 0.05'),
    `the w1 step is not the tutorial's ∂E/∂net_h1 · ∂net_h1/∂w1 = 0.00877135469 × 0.05 (i1): ${stepText}`);
  const current = await page.evaluate(() => document.querySelector('#graph g.node.current')?.dataset.name);
  expect(current === 'w1', `the graph's current node is ${current}, not w1`);
  await shot('backward-w1');
  // over every operation: more steps, the same number at w1
  await page.click('#step-names');
  await page.click('#step-next');
  await waitFor(() => /step 1 of \d+/.test(document.getElementById('step-counter').textContent), null, 'the first step over operations');
  const ops = Number(/of (\d+)/.exec(await text('#step-counter'))[1]);
  log(`  over every operation the reverse sweep has ${ops} steps (over names ${n})`);
  expect(ops > n, `stepping every operation takes ${ops} steps, not more than the ${n} over names`);
  figures.backwardSteps = { overNames: n, overOperations: ops };
  await page.click('#step-names');

  // 4. a typo: diagnostics, last good graph kept
  log('4. typo sigmoud');
  const original = await page.$eval('#editor', (e) => e.value);
  expect(original.includes('sigmoid(net_h1)'), 'the editor text has no sigmoid(net_h1)');
  await setEditor(original.replace('sigmoid(net_h1)', 'sigmoud(net_h1)'));
  await waitFor(() => { const d = document.getElementById('diagnostics'); return d && !d.hidden && d.textContent.includes("did you mean 'sigmoid'"); }, null, "the diagnostic \"did you mean 'sigmoid'\"");
  const diag = await text('#diagnostics');
  log('  diagnostics:\n' + diag.split('\n').map((l) => '    | ' + l).join('\n'));
  expect(/^\s*\^+\s*$/m.test(diag), 'the diagnostic has no caret line');
  expect(await page.isVisible('#diagnostics'), '#diagnostics is not visible');
  const eStale = await nodeText('E');
  expect(eStale && eStale.includes('0.298371109'), `the last good graph is gone: node E = ${eStale}`);
  expect(await page.isVisible('#stale-note'), 'no "last model that built" note');
  await shot('typo');
  await setEditor(original);
  await waitFor(() => document.getElementById('diagnostics').hidden && document.getElementById('stale-note').hidden, null, 'the diagnostics to clear after the fix');
  log('  fixed: diagnostics hidden, graph current again');

  // 5. responsiveness on a ~1,000-node model
  log('5. 1,000-node model');
  // every operation drawn: the graph of a 1,000-node model is 1,000 boxes, not its names alone
  await page.uncheck('#graph-names');
  await waitFor(() => /\d+ nodes/.test(document.getElementById('graph-info').textContent) && !/ · names/.test(document.getElementById('graph-info').textContent), null, 'the graph of every operation');
  let W = 20, D = 16;
  const render = async (model) => {
    const t = await setEditor(model);
    await waitFor((t0) => { const r = window.explorerStats.lastModelRender; return r.requestedAt >= t0 && r.renderedAt > r.requestedAt && r.paintedAt > 0; }, t, 'the graph of the edited model', 30000);
    return page.evaluate(() => ({ ...window.explorerStats.lastModelRender, svgNodes: document.querySelectorAll('#graph g.node').length }));
  };
  let r = await render(bigModel(W, D, 0.9));
  const first = r.renderedAt - r.requestedAt;   // the first edit of this size, while the server's JIT is cold
  if (Math.abs(r.nodes - 1000) > 120) {                // aim at ~1,000 whatever the engine folds
    D = Math.max(2, Math.round(D * 1000 / r.nodes));
    r = await render(bigModel(W, D, 0.9));
  }
  log(`  model: ${W} chains x ${D} layers; the server reports ${r.nodes} nodes in total, ${r.shown} drawn (${r.svgNodes} in the SVG)`);
  expect(r.svgNodes === r.shown && r.shown > 0, `the SVG has ${r.svgNodes} nodes, the graph ${r.shown}`);
  // a learner's run of edits: every one measured, none left out as warm-up
  const EDITS = 12;
  const samples = [], paints = [], parts = [];
  for (let i = 1; i <= EDITS; i++) {
    r = await render(bigModel(W, D, (0.9 + i / 100).toFixed(2)));
    samples.push(r.renderedAt - r.requestedAt);
    paints.push(r.paintedAt - r.requestedAt);
    // debounce wait / POST /api/model round trip / the page's own work
    parts.push([r.sentAt - r.requestedAt, r.receivedAt - r.sentAt, r.renderedAt - r.receivedAt]);
  }
  const med = median(samples), max = Math.max(...samples);
  log(`  edits: ${samples.map((x) => x.toFixed(0) + ' ms').join(', ')} (to the next painted frame: ${paints.map((x) => x.toFixed(0)).join(', ')} ms)`);
  log(`  of which debounce / server round trip / page: ${parts.map((p) => p.map((x) => x.toFixed(0)).join('/')).join(', ')} ms`);
  log(`1,000-node model: graph and values ${med.toFixed(0)} ms after the edit (median of ${EDITS} edits, max ${max.toFixed(0)};`
    + ` the first edit of that size after the page opened ${first.toFixed(0)} ms)`);
  figures.bigModel = { nodes: r.nodes, drawn: r.shown, chains: W, layers: D, firstEditMs: Math.round(first), edits: EDITS,
    editToGraphMs: samples.map((x) => Math.round(x)),
    medianMs: Math.round(med), maxMs: Math.round(max), editToPaintMedianMs: Math.round(median(paints)),
    serverRoundTripMedianMs: Math.round(median(parts.map((p) => p[1]))), pageMedianMs: Math.round(median(parts.map((p) => p[2]))) };
  await shot('thousand-nodes');
  await page.check('#graph-names');
  expectFigure(med <= 200, `the graph of a 1,000-node model took ${med.toFixed(0)} ms (median) after the edit: over 200 ms`);

  // 5b. a chain too deep to typeset at once: the text form at once, and KaTeX on request
  log('5b. explain down a 600-link chain');
  const LINKS = 600;
  const chain = ['param x = 0.5', 'y0 = x', ...Array.from({ length: LINKS }, (_, i) => `y${i + 1} = sin(y${i})`), `E = y${LINKS}`];
  await setEditor(chain.join('\n') + '\n');
  await waitFor(() => !!document.querySelector('#graph g.node[data-name="x"]') && document.getElementById('diagnostics').hidden, null, 'the chain model', 30000);
  const clickedAt = Date.now();
  await page.click('#graph g.node[data-name="x"]');
  await waitFor(() => !!document.querySelector('#explain-math .typeset-offer') && !document.getElementById('explain-text').hidden
    && document.getElementById('explain-text').textContent.startsWith('∂E/∂x = ∂E/∂y600 · ∂y600/∂y599'), null, 'the text form of the long explanation', 30000);
  const shownMs = Date.now() - clickedAt;
  const offer = await text('#explain-math .typeset-offer');
  expect(await page.isHidden('#stale-banner'), 'the page says another page changed the model, but it was this page\'s own edit');
  log(`  shown as text ${shownMs} ms after the click: ${offer}`);
  expect(/^Its LaTeX is [\d,]+ characters, which would hold the page for seconds to typeset, so the text form is shown\./.test(offer), `the offer to typeset reads: ${offer}`);
  await shot('long-explanation-text');
  await page.click('#explain-math .typeset-offer button');
  const typesetAt = Date.now();
  await waitFor(() => !!document.querySelector('#explain-math .katex'), null, 'KaTeX on request', 60000);
  log(`  typeset on request in ${Date.now() - typesetAt} ms`);
  figures.longExplanation = { links: LINKS, textShownMs: shownMs, typesetMs: Date.now() - typesetAt };
  await shot('long-explanation');

  // 6. training the circles classifier
  log('6. training classifier-circles');
  await page.selectOption('#examples', 'classifier-circles');
  // the editor holds the chain typed above, never saved: the page asks before replacing it
  expect(dialogs.includes('The edits in the editor are not saved. Replace them with the example classifier-circles?'),
    `no question before unsaved edits were replaced: ${JSON.stringify(dialogs)}`);
  await waitFor(() => !!document.querySelector('#graph g.node[data-name="W1"]') && !document.getElementById('train-play').disabled &&
    document.getElementById('diagnostics').hidden, null, 'the classifier model', 30000);
  await page.click('#tab-training');
  expect(await page.isVisible('#boundary-canvas'), 'no boundary canvas for a model with a boundary plot');
  const settings = await page.evaluate(() => ['train-optimizer', 'train-lr', 'train-batch'].map((id) => document.getElementById(id).value));
  log(`  the model's own settings: optimizer ${settings[0]}, lr ${settings[1]}, batch ${settings[2]}`);
  // before any step: the starting loss and boundary are drawn (a frame of the run as it stands)
  await waitFor(() => /^step 0 · loss /.test(document.getElementById('train-status').textContent), null, 'the loss before training');
  const initialParams = await text('#params tbody');
  const framesBefore = await page.evaluate(() => window.explorerStats.boundaryFrameTimes.length);
  const playAt = Date.now();
  await page.click('#train-play');
  await waitFor(() => { const m = /step (\d+)/.exec(document.getElementById('train-status').textContent); return m && Number(m[1]) >= 500; }, null, 'step 500 of training', 120000);
  const playingNote = await page.evaluate(() => !document.getElementById('stale-note').hidden && document.getElementById('stale-note').textContent);
  expect(playingNote && /redrawn when it pauses/.test(playingNote), `while training plays the graph does not say its numbers are old: ${playingNote}`);
  const minPlay = 3000 - (Date.now() - playAt);        // measure the frame rate over 3 s at least
  if (minPlay > 0) await sleep(minPlay);
  await page.click('#train-pause');
  await waitFor(() => !document.getElementById('train-dot').classList.contains('on'), null, 'the run to stop', 10000);
  await sleep(300);
  const tr = await page.evaluate((k) => {
    const s = window.explorerStats;
    const times = s.boundaryFrameTimes.slice(k);
    const a = s.firstBoundary || [], b = s.lastBoundary || [];
    let diff = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
    return { status: document.getElementById('train-status').textContent, losses: s.losses.length, first: s.losses[0], last: s.losses[s.losses.length - 1],
      frames: times.length, seconds: times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0, diff, cells: b.length,
      params: document.querySelectorAll('#params tbody tr').length };
  }, framesBefore);
  const fps = tr.frames > 1 ? (tr.frames - 1) / tr.seconds : 0;
  log(`  ${tr.status}; ${tr.losses} loss points: ${JSON.stringify(tr.first)} → ${JSON.stringify(tr.last)}`);
  log(`  boundary: ${tr.cells} cells, largest change ${tr.diff.toFixed(3)}; ${tr.frames} redraws in ${tr.seconds.toFixed(2)} s = ${fps.toFixed(1)} per second; params table ${tr.params} rows`);
  figures.training = { example: 'classifier-circles', optimizer: settings[0], lr: Number(settings[1]), status: tr.status, lossPoints: tr.losses,
    firstLoss: tr.first, lastLoss: tr.last, boundaryMaxChange: Number(tr.diff.toFixed(4)), boundaryRedraws: tr.frames,
    seconds: Number(tr.seconds.toFixed(2)), boundaryRedrawsPerSecond: Number(fps.toFixed(1)) };
  const trainShot = await shot('training');
  fs.copyFileSync(trainShot, path.join(OUT, 'explorer.png'));
  expect(tr.first && tr.last && tr.last[1] < tr.first[1], `the loss did not fall: ${JSON.stringify(tr.first)} → ${JSON.stringify(tr.last)}`);
  expect(tr.diff > 0.05, `the boundary did not change (largest change ${tr.diff})`);
  expectFigure(fps >= 20, `boundary redraws: ${fps.toFixed(1)} per second, under 20`);

  // 6b. a second page changes the model: the first is told its model is old, not answered about another
  log('6b. a second page');
  // first it opens on the model shown while the first page trains: the run goes on, nobody is told of a change
  const trainStep = () => page.evaluate(() => { const m = /step (\d+)/.exec(document.getElementById('train-status').textContent); return m ? Number(m[1]) : -1; });
  await page.click('#train-play');
  await waitFor(() => document.getElementById('train-dot').classList.contains('on'), null, 'the first page playing again');
  const second = await page.context().newPage();
  await second.goto(url);
  await second.waitForFunction(() => window.explorerReady === true, null, { timeout: 30000 });
  const opened = await trainStep();
  await sleep(800);
  const later = await trainStep();
  log(`  a second page opened while the first trained: step ${opened} then ${later}; notice shown: ${await page.isVisible('#stale-banner')}`);
  expect(later > opened, `opening a second page stopped the first page's training (step ${opened} then ${later})`);
  expect(await page.isHidden('#stale-banner'), 'opening a second page on the same model told the first that another page changed it');
  await page.click('#train-pause');
  await waitFor(() => !document.getElementById('train-dot').classList.contains('on'), null, 'the run to stop again', 10000);
  // Reset puts the params back where the model's text puts them
  await page.click('#train-reset');
  await waitFor((p0) => document.querySelector('#params tbody').textContent === p0 && /^step 0 · loss /.test(document.getElementById('train-status').textContent),
    initialParams, 'the params back at their starting values after Reset');
  expect(await page.isHidden('#stale-banner'), 'Reset told the page another page had changed the model');
  log(`  Reset: the params are back where they started; ${await text('#train-status')}`);
  // then it switches the model
  await second.selectOption('#examples', 'backprop-2-2-2');
  await second.waitForFunction(() => [...document.querySelectorAll('#graph g.node')].some((g) => g.dataset.name === 'w1'), null, { timeout: 30000 });
  await waitFor(() => !document.getElementById('stale-banner').hidden, null, 'the first page\'s notice that the model changed elsewhere');
  const banner = await text('#stale-banner-text');
  log(`  the first page says: ${banner}`);
  expect(/changed from another page/.test(banner), `no notice of the other page's model: ${banner}`);
  await shot('changed-elsewhere');
  await second.close();

  // 7. the server refuses requests without the token or from elsewhere
  log('7. security');
  const api = `${u.origin}/api/state`;
  const sec = {
    noToken: (await request(api, {})).status,
    badHost: (await request(`${api}?token=${token}`, { Host: `evil.example:${u.port}` })).status,
    badOrigin: (await request(`${api}?token=${token}`, { Origin: 'http://evil.example' })).status,
    control: (await request(`${api}?token=${token}`, {})).status,
  };
  log(`  no token → ${sec.noToken}; Host evil.example → ${sec.badHost}; Origin evil.example → ${sec.badOrigin}; with the token → ${sec.control}`);
  figures.security = sec;
  expect(sec.noToken === 403, `GET /api/state without the token: ${sec.noToken}, not 403`);
  expect(sec.badHost === 403, `a wrong Host header: ${sec.badHost}, not 403`);
  expect(sec.badOrigin === 403, `a foreign Origin: ${sec.badOrigin}, not 403`);
  expect(sec.control === 200, `GET /api/state with the token: ${sec.control}, not 200`);

  // each stale-model 409 is one logged failed resource, and nothing else may be logged
  for (let k = 0; k < ownStale + otherStale; k++) {
    const at = consoleErrors.findIndex((m) => m.includes('status of 409'));
    if (at >= 0) consoleErrors.splice(at, 1);
  }
  log(`  questions about a model since replaced, answered 409: ${ownStale} by the page itself {"own": true}, ${otherStale} by another page`);
  expect(consoleErrors.length === 0, `the page logged ${consoleErrors.length} console error(s): ${consoleErrors.slice(0, 3).join(' | ')}`);
  // Time figures are measured and reported (here and in figures.json), not a verdict on the build:
  // a loaded machine must not turn CI red. E2E_STRICT_TIMING=1 makes a missed figure fail the run.
  figures.missedFigures = missed;
  if (process.env.E2E_STRICT_TIMING === '1') expect(missed.length === 0, missed.join('; '));
  else if (missed.length) log(`  figures missed (reported, not failed; E2E_STRICT_TIMING=1 fails them): ${missed.join('; ')}`);
}

(async () => {
  let code = 0;
  try {
    await main();
    log('E2E PASSED');
  } catch (e) {
    code = 1;
    console.error(`E2E FAILED: ${e instanceof Failure ? e.message : (e && e.stack) || e}`);
    if (page) await page.screenshot({ path: path.join(OUT, 'failure.png') }).then(() => console.error(`  screenshot ${path.join(OUT, 'failure.png')}`)).catch(() => {});
  }
  // 8. the figures
  try {
    figures.passed = code === 0;
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, 'figures.json'), JSON.stringify(figures, null, 2) + '\n');
    log(`figures: ${path.join(OUT, 'figures.json')}`);
  } catch (e) { console.error(`cannot write figures.json: ${e.message}`); }
  if (browser) await browser.close().catch(() => {});
  await stopServer();
  process.exit(code);
})();
