// chainrule explorer: a view over the server (see the HTTP contract). Nothing here evaluates,
// differentiates or trains: every number arrives from the server as an already-formatted text line.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const TOKEN = new URLSearchParams(location.search).get('token');
  // This page's name for the server, so that the model events it caused are told from another page's.
  const PAGE_ID = Math.random().toString(36).slice(2) + Date.now().toString(36);

  // Hooks read by the end-to-end test (src/test/e2e/explorer.cjs).
  const stats = window.explorerStats = {
    // requestedAt: the edit (input event); sentAt/receivedAt: the POST /api/model; renderedAt: the
    // graph is in the DOM; paintedAt: the next animation frame after that. All performance.now().
    lastModelRender: { requestedAt: 0, sentAt: 0, receivedAt: 0, renderedAt: 0, paintedAt: 0, nodes: 0, shown: 0 },
    boundaryFrames: 0, boundaryFrameTimes: [], losses: [], firstBoundary: null, lastBoundary: null,
  };
  window.explorerReady = false;

  // ---------------------------------------------------------------- state
  const S = {
    model: null,          // the last MODEL that built
    output: null,         // the output the graph is about
    graph: null,          // the GRAPH drawn
    nodes: new Map(),     // id -> node of the drawn graph
    geom: new Map(),      // "from-to-k" -> {x1, y1, x2, y2, d} of the drawn edges
    pairs: new Map(),     // "from-to" -> the curves between two nodes (any argument position)
    drawn: false,
    zoom: 1,
    modelSeq: 0, modelAbort: null, editAt: 0, lastInputAt: -1e9, debounce: 0,
    selected: null,       // {id, name, leaf} of the clicked node
    explain: null, explainSeq: 0,
    sweep: { data: null, back: null, mode: 'reverse', index: -1, timer: 0, loading: null, wrt: null, seq: 0 },
    trainDefaults: '',    // the training defaults last written into the controls
    points: null,         // data points of the boundary plot (from the first frame that has them)
    lastStep: -1,
    graphStep: 0,         // the training step the drawn values are from
    running: false,
  };

  // ---------------------------------------------------------------- helpers
  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const esc = (s) => String(s == null ? '' : s).replace(/[&<>"']/g, (c) => ESC[c]);
  // Cut to n characters (by code point) with an ellipsis.
  const cut = (s, n) => { const a = Array.from(String(s)); return a.length > n ? a.slice(0, n - 1).join('') + '…' : a.join(''); };
  const first = (lines) => (Array.isArray(lines) && lines.length ? String(lines[0]) : '');
  const isTensor = (lines) => Array.isArray(lines) && lines.length > 1;
  // A number in a product reads better in parentheses when negative: 0.4 × (-0.2).
  const num = (s) => (/^-/.test(s) ? `(${s})` : s);
  // Labels of unnamed nodes are expressions: parenthesize them inside ∂…/∂….
  const lab = (s) => {
    s = String(s == null ? '?' : s);
    if (/^[\p{L}_][\p{L}\p{N}_.]*(\[[^\]]*\])?$/u.test(s)) return s;   // w1, h.net, W1[0, 0]
    return /^\(.*\)$/.test(s) ? s : `(${s})`;
  };

  async function api(path, opts = {}) {
    const headers = { 'X-Chainrule-Page': PAGE_ID };
    if (TOKEN) headers['X-Chainrule-Token'] = TOKEN;
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, {
      method: opts.method || (opts.body !== undefined ? 'POST' : 'GET'), headers, signal: opts.signal,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body), credentials: 'same-origin',
    });
    let data = null;
    try { data = await res.json(); } catch (_) { data = null; }
    if (!res.ok) {
      const err = new Error((data && data.error) || `HTTP ${res.status}`);
      err.status = res.status; err.rendered = data && data.rendered; err.data = data;
      // stale: another page built a newer model (say so), or this page did and will ask again (no alarm)
      if (res.status === 409 && data && data.stale) { if (data.own) err.superseded = true; else showStale(); }
      throw err;
    }
    return data;
  }
  const q = (o) => Object.entries(o).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  // A question about the model shown: it names the model's version, and the server refuses it if another page built a newer one.
  const qv = (o) => q(S.model && S.model.version != null ? { ...o, version: S.model.version } : o);
  function showStale(source) {
    $('stale-banner-text').textContent = 'The model was changed from another page' + (source ? ` (now ${source})` : '')
      + ': this page shows an older one. Reload to see the new model.';
    $('stale-banner').hidden = false;
  }
  $('stale-reload').addEventListener('click', () => {
    if (!unsaved() || window.confirm('Reloading shows the model built on the other page; the edits here are not saved. Reload anyway?')) {
      location.reload();
    }
  });
  const isAbort = (e) => e && e.name === 'AbortError';

  let statusTimer = 0;
  function status(msg, error = false) {
    const el = $('status');
    el.textContent = msg; el.title = msg; el.classList.toggle('error', error);
    clearTimeout(statusTimer);
    if (msg) statusTimer = setTimeout(() => { el.textContent = ''; el.classList.remove('error'); }, error ? 12000 : 4000);
  }

  // KaTeX with the browser's layout after it took 2.8 s for 91,000 characters of LaTeX (a 600-link
  // chain, in the end-to-end test), and the page waits for it. Past this length the page offers
  // to typeset instead, and the caller shows the text form.
  const TYPESET_LIMIT = 20000;
  function typeset(el, latex) {
    el.textContent = '';
    if (!latex) return;
    if (window.katex) {
      try { window.katex.render(latex, el, { displayMode: true, throwOnError: false }); return; } catch (_) { /* fall through */ }
    }
    const pre = document.createElement('pre'); pre.textContent = latex; el.appendChild(pre);
  }
  /** Typesets {@code latex} in {@code el}, or, when it is too long to typeset at once, offers to; says whether it typeset. */
  function tex(el, latex) {
    if (!latex || latex.length <= TYPESET_LIMIT) { typeset(el, latex); return true; }
    el.textContent = '';
    const p = document.createElement('p'); p.className = 'muted typeset-offer';
    p.textContent = `Its LaTeX is ${latex.length.toLocaleString('en-US')} characters, which would hold the page for seconds`
      + ' to typeset, so the text form is shown. ';
    const b = document.createElement('button'); b.type = 'button'; b.textContent = 'Typeset it anyway';
    b.addEventListener('click', () => {
      b.disabled = true; b.textContent = 'typesetting…';
      setTimeout(() => typeset(el, latex), 30);   // let the button show its state first
    });
    p.appendChild(b); el.appendChild(p);
    return false;
  }

  // ---------------------------------------------------------------- editor
  const editor = $('editor'), gutter = $('gutter');
  let gutterLines = -1, gutterErrors = '';
  function updateGutter(errorLines = null) {
    const n = editor.value.split('\n').length;
    const errs = errorLines ? [...errorLines].sort().join(',') : gutterErrors;
    if (n === gutterLines && errs === gutterErrors) return;
    gutterLines = n; gutterErrors = errs;
    const set = new Set(errs ? errs.split(',').map(Number) : []);
    let s = '';
    for (let i = 1; i <= n; i++) s += (set.has(i) ? `<span class="err">${i}</span>` : i) + '\n';
    gutter.innerHTML = s;
    gutter.scrollTop = editor.scrollTop;
  }
  editor.addEventListener('scroll', () => { gutter.scrollTop = editor.scrollTop; });
  // edits not saved anywhere: switching the model asks first
  const unsaved = () => S.clean !== undefined && editor.value !== S.clean;
  function markSaved(text) { S.clean = text; $('source').classList.remove('unsaved'); }
  /** Whether the editor's text may be replaced by {@code what}: yes when it is saved, else the user says. */
  const mayReplace = (what) => !unsaved() || window.confirm(`The edits in the editor are not saved. Replace them with ${what}?`);
  // Debounce with a leading edge: an edit after a quiet spell (a paste, one keystroke) is sent at
  // once; keystrokes closer than 60 ms to the previous one are coalesced and sent 60 ms after the last.
  editor.addEventListener('input', () => {
    $('source').classList.toggle('unsaved', unsaved());
    const now = performance.now(), quiet = now - S.lastInputAt > 60 && !S.debounce;
    S.editAt = S.lastInputAt = now;
    updateGutter();
    clearTimeout(S.debounce);
    if (quiet) { S.debounce = 0; sendModel(); } else S.debounce = setTimeout(() => { S.debounce = 0; sendModel(); }, 60);
  });
  editor.addEventListener('keydown', (e) => {  // Tab indents instead of leaving the editor
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      editor.setRangeText('    ', editor.selectionStart, editor.selectionEnd, 'end');
      editor.dispatchEvent(new Event('input'));
    }
  });

  function setText(text) {
    editor.value = text;
    markSaved(text);
    editor.scrollTop = 0;
    S.editAt = performance.now();
    updateGutter([]);
    clearTimeout(S.debounce); S.debounce = 0;
    sendModel();
  }

  // Only the response to the latest request is applied; older ones are aborted or dropped.
  async function sendModel() {
    const seq = ++S.modelSeq;
    const editAt = S.editAt, text = editor.value;
    if (S.modelAbort) S.modelAbort.abort();
    const ctrl = S.modelAbort = new AbortController();
    let resp;
    const sentAt = performance.now();
    try {
      resp = await api('/api/model', { body: { text, names: $('graph-names').checked }, signal: ctrl.signal });
    } catch (e) {
      if (isAbort(e) || seq !== S.modelSeq) return;
      status('build failed: ' + e.message, true);
      return;
    }
    if (seq !== S.modelSeq) return;
    S.timing = { sentAt, receivedAt: performance.now() };   // for explorerStats: where the time goes
    if (resp.ok) S.builtText = text;
    applyModel(resp, editAt);
  }

  function applyModel(resp, editAt) {
    // a model that builds again clears an error the status line still shows from before
    if (resp.ok && $('status').classList.contains('error')) status('');
    const diags = resp.diagnostics || [];
    const box = $('diagnostics');
    if (!resp.ok && diags.length) {
      // the message wraps to the panel; the source line and its caret stay unwrapped, one under the other
      box.innerHTML = diags.map((d) => {
        const lines = (d.rendered || `${d.line}:${d.column}: ${d.message}`).split('\n');
        const rest = lines.slice(1).join('\n');
        // (the newlines keep the text the same when copied)
        return `<div class="diag"><div class="diag-message">${esc(lines[0])}</div>\n${rest ? `<pre>${esc(rest)}</pre>` : ''}</div>`;
      }).join('\n\n');
      box.hidden = false;
    } else if (!resp.ok) {
      box.textContent = 'the model did not build'; box.hidden = false;
    } else {
      box.textContent = ''; box.hidden = true;
    }
    updateGutter(diags.map((d) => d.line).filter((l) => l > 0));
    $('build-info').textContent = resp.ok ? `built in ${resp.millis} ms` : `${diags.length} error${diags.length === 1 ? '' : 's'}`;

    const stale = !resp.ok;
    staleNote(stale && S.drawn ? LAST_BUILT : null);
    if (!resp.model) {
      if (!S.drawn) $('graph').innerHTML = '<p class="empty">No model has built yet: fix the errors on the left.</p>';
      return;
    }
    if (stale && S.drawn) return;           // keep the last good graph on screen, dimmed
    const m = S.model = resp.model;
    const prevOut = S.output;
    fillOutputs(m);
    setupTraining(m.training);
    renderParams(m.params, m.output);
    S.points = null; S.lastStep = -1; S.graphStep = 0;
    if (!stale) {
      resetTrainView();
      // the loss and the decision boundary before any training: a frame of the run as it stands
      if (m.training) train('look');
    }
    invalidateSweep();
    if (S.output !== m.output && m.outputs.includes(S.output)) {
      // The user chose another output earlier: keep it (one more round trip).
      loadGraph(editAt);
    } else {
      S.output = m.output;
      $('output-select').value = m.output;
      drawGraph(m.graph, editAt);
    }
    if (stale) staleNote(LAST_BUILT);
    const of = $('derive-of');
    if (!of.value || of.value === prevOut) of.value = S.output || '';   // follow the output unless the user typed another
    // what the panels showed was about the model before: forward mode's leaf, derive's result
    const leaves = new Set([...(m.graph.nodes || []).filter((n) => n.leaf).map((n) => n.name), ...(m.params || []).map((p) => p.name)]);
    if (S.sweep.wrt && !leaves.has(S.sweep.wrt)) S.sweep.wrt = null;
    $('derive-math').innerHTML = ''; $('derive-value').textContent = ''; $('derive-ascii').textContent = '';
    renderStep();
  }

  function fillOutputs(m) {
    const sel = $('output-select');
    const want = m.outputs.includes(S.output) ? S.output : m.output;
    const key = m.outputs.join('\n');
    if (S.outputsKey !== key) {   // rebuilt only when the list changes
      sel.innerHTML = m.outputs.map((o) => `<option value="${esc(o)}">${esc(o)}</option>`).join('');
      S.outputsKey = key;
    }
    sel.value = want;
  }

  async function loadGraph(editAt = null) {
    const out = S.output;
    if (!out) return;
    try {
      const g = await api('/api/graph?' + qv({ output: out, names: $('graph-names').checked }));
      if (out !== S.output) return;
      drawGraph(g, editAt);
      if (g.params) renderParams(g.params, g.output);
    } catch (e) {
      if (e.superseded) return;
      // the params left the real numbers (a run that diverged): the values drawn are from before
      if (S.drawn) staleNote(`the graph shows an earlier step: ${e.message}`);
      status(`graph of ${out}: ${e.message}`, true);
    }
  }

  // ---------------------------------------------------------------- graph
  const W = 172, GX = 64, GY = 16, PAD = 32;
  // Nodes are drawn in blocks of CHUNK_L layers x CHUNK_R rows, each its own <svg> in a
  // content-visibility:auto box: the browser lays out and paints only the blocks in view, which
  // keeps a 1,000-node graph at a few tens of ms (SVG text layout is the expensive part).
  const CHUNK_L = 4, CHUNK_R = 12;

  const LAST_BUILT = 'showing the last model that built';
  /** Dims the graph with a note saying why its values are not the model's now; null undims it. */
  function staleNote(text) {
    $('graph').classList.toggle('stale', !!text);
    const note = $('stale-note');
    note.hidden = !text;
    if (text) { note.textContent = text; note.title = text; }
  }

  function drawGraph(g, editAt) {
    const el = $('graph');
    S.graph = g; S.nodes = new Map(); S.geom = new Map(); S.pairs = new Map(); S.els = null;
    staleNote(null);
    const info = !g.shown ? `${g.total} nodes (not drawn)` : g.shown < g.total ? `${g.shown} of ${g.total} nodes` : `${g.total} nodes`;
    $('graph-info').textContent = `${info}${g.shown ? ` · ${g.layers} layers` : ''} · output ${g.output}`
      + (g.names ? ' · names' : g.note ? ' · every operation (hover for why)' : '');
    $('graph-info').title = g.note || (g.names ? `the names under ${g.output}, of ${g.total} operations` : '');
    // names were asked for and cannot be drawn (a model of tensors): the box would change nothing
    $('graph-names').disabled = !!g.note;
    $('graph-names').parentElement.title = g.note || '';

    if (!g.output) {
      S.size = null;
      $('graph-info').textContent = 'no output';
      el.innerHTML = '<p class="empty">Nothing to draw yet: define a name whose value is a number computed from your params '
        + 'or inputs (a loss, say), and its graph appears here.</p>';
      reselect();                           // what was explained was about a node that is gone
      finishRender(g, editAt);
      return;
    }
    if (!g.nodes || g.nodes.length === 0) {
      S.size = null;
      el.innerHTML = `<p class="empty">The graph under <b>${esc(g.output)}</b> has ${esc(g.total)} nodes: too large to draw. ` +
        'Values and gradients are in the params table; explain and derive still work by name.</p>';
      finishRender(g, editAt);
      return;
    }
    // Tensors get one more text line for the value and one for the gradient (their second line: a summary).
    const tall = g.nodes.some((n) => isTensor(n.value));
    const H = S.H = tall ? 84 : 56;
    el.style.setProperty('--box-h', H + 'px');
    let maxLayer = 0, maxRow = 0;
    for (const n of g.nodes) {
      S.nodes.set(n.id, n);
      if (n.layer > maxLayer) maxLayer = n.layer;
      if (n.row > maxRow) maxRow = n.row;
    }
    const X = (n) => PAD + n.layer * (W + GX), Y = (n) => PAD + n.row * (H + GY);
    const width = PAD * 2 + (maxLayer + 1) * (W + GX) - GX, height = PAD * 2 + (maxRow + 1) * (H + GY) - GY;
    S.size = { width, height };

    // Edges: one path for all of them, in an svg under the nodes (thousands of <path> elements
    // would cost more to parse than everything else). Highlighted ones are drawn again in #g-hi.
    // The inputs of one consumer arrive at spread-out points on its left side.
    const nIn = new Map();
    for (const e of g.edges) nIn.set(e.to, (nIn.get(e.to) || 0) + 1);
    const d = [], roles = [];
    for (const e of g.edges) {
      const a = S.nodes.get(e.from), b = S.nodes.get(e.to);
      if (!a || !b) continue;
      const k = nIn.get(e.to), spread = Math.min(12, (H - 16) / Math.max(1, k));
      const x1 = X(a) + W, y1 = Y(a) + H / 2;
      const x2 = X(b), y2 = Math.round((Y(b) + H / 2 + (e.k - (k - 1) / 2) * spread) * 10) / 10;
      const dx = Math.max(24, Math.round((x2 - x1) / 2));
      const curve = `M${x1} ${y1}C${x1 + dx} ${y1} ${x2 - dx} ${y2} ${x2} ${y2}`;
      S.geom.set(`${e.from}-${e.to}-${e.k}`, { x1, y1, x2, y2, d: curve });
      const pair = `${e.from}-${e.to}`;
      if (S.pairs.has(pair)) S.pairs.get(pair).push(curve); else S.pairs.set(pair, [curve]);
      d.push(curve);
      if (e.role) roles.push(`<text class="role" x="${x2 - 4}" y="${y2 - 3}" text-anchor="end">${esc(e.role)}</text>`);
    }

    // Nodes, grouped into blocks.
    const chunks = new Map();
    const chars = Math.floor((W - 14) / 6.3);
    const outId = findOutputId(g);
    for (const n of g.nodes) {
      const cls = 'node ' + esc(n.kind) + (n.id === outId ? ' out' : '');
      // The <text> itself is the op (muted); the name is a bold tspan before it.
      // over names a computed node shows its definition: net_h1 = w1·i1 + …
      const sep = g.names && !n.leaf ? '= ' : '';
      const title = n.name != null
        ? `<tspan class="nm">${esc(cut(n.name, 18))}</tspan> ${esc(cut(sep + n.op, 20 - Math.min(18, Array.from(n.name).length)))}`
        : esc(cut(n.op, 24));
      let y = 32;
      let body = `${title}<tspan class="v" x="8" y="${y}">${esc(cut('value ' + first(n.value), chars))}</tspan>`;
      if (tall) {
        y += 13;
        const rest = summary(n.value, chars);
        if (rest) body += `<tspan class="v" x="8" y="${y}">${esc(rest)}</tspan>`;
      }
      if (n.grad) body += `<tspan class="g" x="8" y="${y + 14}">${esc(cut('grad ' + first(n.grad), chars))}</tspan>`;
      if (n.grad && tall) {
        // a tensor's gradient gets its summary line too: its numbers, not only its shape
        const rest = summary(n.grad, chars);
        if (rest) body += `<tspan class="g" x="8" y="${y + 27}">${esc(rest)}</tspan>`;
      }
      const key = `${Math.floor(n.layer / CHUNK_L)},${Math.floor(n.row / CHUNK_R)}`;
      let c = chunks.get(key);
      if (!c) chunks.set(key, c = []);
      c.push(`<g class="${cls}" data-id="${n.id}"${n.name != null ? ` data-name="${esc(n.name)}"` : ''} transform="translate(${X(n)},${Y(n)})">` +
        `<rect class="box"/><text class="t" x="8" y="16">${body}</text></g>`);   // the rect's size: in the css
    }
    const cw = CHUNK_L * (W + GX), ch = CHUNK_R * (H + GY);
    let blocks = '';
    for (const [key, items] of chunks) {
      const [cl, cr] = key.split(',').map(Number);
      // Each block's svg shows its part of the graph's coordinates; its box starts half a gap
      // before its first column and row, so no node (or stroke) crosses the box's clip.
      const x0 = PAD + cl * cw - GX / 2, y0 = PAD + cr * ch - GY / 2;
      blocks += `<div class="chunk" style="left:${x0}px;top:${y0}px;width:${cw}px;height:${ch}px">` +
        `<svg viewBox="${x0} ${y0} ${cw} ${ch}" width="${cw}" height="${ch}">${items.join('')}</svg></div>`;
    }
    // One string, one parse: no per-node DOM work or layout passes.
    el.innerHTML = `<div id="graph-canvas" style="width:${width}px;height:${height}px;zoom:${S.zoom}">` +
      `<svg class="layer" width="${width}" height="${height}"><g id="g-edges"><path class="edge" d="${d.join('')}"/>${roles.join('')}</g><g id="g-hi"></g></svg>` +
      `<div id="g-nodes">${blocks}</div>` +
      `<svg class="layer overlay" width="${width}" height="${height}"><g id="g-overlay"></g></svg></div>`;
    finishRender(g, editAt);
    reselect();
  }

  // The lines after a tensor's shape, on one line when they fit (else the first of them).
  function summary(lines, chars) {
    if (!isTensor(lines)) return '';
    const all = lines.slice(1).join('  ');
    // too long for one line: its first line, and a mark that more follows
    return Array.from(all).length <= chars ? all : cut(lines.length > 2 ? lines[1] + ' …' : lines[1], chars);
  }

  function findOutputId(g) {
    if (g._outId !== undefined) return g._outId;
    let id = null;
    for (const n of g.nodes) if (n.name === g.output && !n.leaf) id = n.id;
    if (id === null) for (const n of g.nodes) if (n.layer === g.layers - 1) id = n.id;
    return (g._outId = id);
  }

  function finishRender(g, editAt) {
    const r = stats.lastModelRender;
    S.drawn = true;
    if (editAt != null) {
      r.requestedAt = editAt; r.renderedAt = performance.now(); r.nodes = g.total; r.shown = g.shown; r.paintedAt = 0;
      r.sentAt = S.timing ? S.timing.sentAt : 0; r.receivedAt = S.timing ? S.timing.receivedAt : 0;
      requestAnimationFrame(() => { r.paintedAt = performance.now(); });
    }
    window.explorerReady = true;
    drawOverlay();
  }

  function applyZoom() {
    const c = $('graph-canvas');
    if (c) c.style.zoom = S.zoom;
  }
  $('zoom-in').addEventListener('click', () => { S.zoom = Math.min(2, S.zoom * 1.25); applyZoom(); });
  $('zoom-out').addEventListener('click', () => { S.zoom = Math.max(0.1, S.zoom / 1.25); applyZoom(); });
  $('zoom-fit').addEventListener('click', () => {
    if (!S.size) return;
    const el = $('graph');
    S.zoom = Math.max(0.1, Math.min(1, (el.clientWidth - 4) / S.size.width, (el.clientHeight - 4) / S.size.height));
    applyZoom();
    el.scrollTo(0, 0);
  });

  // Pan by dragging the background (scrolling works too).
  (() => {
    const el = $('graph');
    let drag = null;
    el.addEventListener('mousedown', (ev) => {
      if (ev.button !== 0 || (ev.target.closest && ev.target.closest('g.node'))) return;
      drag = { x: ev.clientX, y: ev.clientY, left: el.scrollLeft, top: el.scrollTop };
      el.classList.add('panning');
      ev.preventDefault();
    });
    window.addEventListener('mousemove', (ev) => {
      if (drag) el.scrollTo(drag.left - (ev.clientX - drag.x), drag.top - (ev.clientY - drag.y));
    });
    window.addEventListener('mouseup', () => { drag = null; el.classList.remove('panning'); });
  })();

  // Tooltips are made on first hover (a <title> per node would double the markup of big graphs).
  $('graph').addEventListener('mouseover', (ev) => {
    const g = ev.target.closest && ev.target.closest('g.node');
    if (!g || g.querySelector('title')) return;
    const n = S.nodes.get(Number(g.dataset.id));
    if (!n) return;
    const t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    t.textContent = `${n.name != null ? n.name + ' = ' : ''}${n.op}  (${n.kind}, node ${n.id})\nvalue ${(n.value || []).join('\n      ')}` +
      (n.grad ? `\ngrad  ${n.grad.join('\n      ')}` : '');
    g.insertBefore(t, g.firstChild);
  });
  $('graph').addEventListener('click', (ev) => {
    const g = ev.target.closest && ev.target.closest('g.node');
    if (!g) return;
    const n = S.nodes.get(Number(g.dataset.id));
    if (n) select(n);
  });

  // Highlights (explain paths, stepper) live in classes and in one overlay layer redrawn as a string.
  function drawOverlay() {
    const canvas = $('graph-canvas');
    if (!canvas) return;
    canvas.querySelectorAll('.path, .sel, .current').forEach((e) => e.classList.remove('path', 'sel', 'current'));
    let hi = '', s = '';
    const ex = S.explain;
    if (ex && ex.paths) {
      for (const id of ex.paths.nodes || []) nodeEl(id)?.classList.add('path');
      for (const e of ex.paths.edges || []) {
        const gm = S.geom.get(`${e.from}-${e.to}-${e.k}`);
        if (!gm) continue;
        hi += `<path class="edge path" d="${gm.d}"/>`;
        const l = first(e.local);
        if (l) {   // the edge's local derivative, on the edge
          const x = (gm.x1 + gm.x2) / 2, y = (gm.y1 + gm.y2) / 2;
          const w = Math.min(150, 8 + Array.from(l).length * 6.1);
          s += `<g class="elabel" transform="translate(${x - w / 2},${y - 8})"><rect width="${w}" height="15" rx="4"/>` +
            `<text x="${w / 2}" y="11" text-anchor="middle">${esc(cut(l, 24))}</text></g>`;
        }
      }
    }
    if (S.selected) nodeEl(S.selected.id)?.classList.add('sel');
    // Stepper: done nodes get a badge with their adjoint (or tangent); the current one is marked,
    // with the edges its terms come along.
    const sw = S.sweep;
    if (sw.data && sw.index >= 0) {
      const steps = sw.data.steps;
      for (let i = 0; i <= sw.index && i < steps.length; i++) {
        const st = steps[i], n = S.nodes.get(st.node);
        if (!n) continue;
        const v = cut(first(sw.mode === 'forward' ? st.tangent : st.adjoint), 16);
        const w = 10 + Array.from(v).length * 6;
        const x = PAD + n.layer * (W + GX) + W - w + 6, y = PAD + n.row * (S.H + GY) - 9;
        s += `<g class="badge${i === sw.index ? '' : ' done'}" transform="translate(${x},${y})"><rect width="${w}" height="15" rx="7"/>` +
          `<text x="${w / 2}" y="11" text-anchor="middle">${esc(v)}</text></g>`;
      }
      const cur = steps[sw.index];
      if (cur) {
        nodeEl(cur.node)?.classList.add('current');
        for (const t of cur.terms || []) {
          const [from, to] = sw.mode === 'forward' ? [t.input, cur.node] : [cur.node, t.consumer];
          for (const curve of S.pairs.get(`${from}-${to}`) || []) hi += `<path class="edge current" d="${curve}"/>`;
        }
      }
    }
    $('g-hi').innerHTML = hi;
    $('g-overlay').innerHTML = s;
  }
  // id -> the node's <g>, indexed once per drawing (a querySelector per node would be quadratic).
  function nodeEl(id) {
    if (!S.els) {
      S.els = new Map();
      const root = $('g-nodes');
      if (root) for (const g of root.querySelectorAll('g.node')) S.els.set(Number(g.dataset.id), g);
    }
    return S.els.get(id);
  }

  function scrollToNode(id) {
    const n = S.nodes.get(id), el = $('graph');
    if (!n) return;
    const x = (PAD + n.layer * (W + GX)) * S.zoom, y = (PAD + n.row * (S.H + GY)) * S.zoom;
    if (x < el.scrollLeft || x + W * S.zoom > el.scrollLeft + el.clientWidth || y < el.scrollTop || y + S.H * S.zoom > el.scrollTop + el.clientHeight) {
      el.scrollTo({ left: Math.max(0, x - el.clientWidth / 2), top: Math.max(0, y - el.clientHeight / 2) });
    }
  }

  // ---------------------------------------------------------------- explain
  async function select(n) {
    S.selected = { id: n.id, name: n.name, leaf: n.leaf, kind: n.kind };
    if (n.name != null) $('derive-wrt').value = n.name;
    if (n.leaf && n.name != null && S.sweep.wrt !== n.name) {
      S.sweep.wrt = n.name;
      if (S.sweep.mode === 'forward') { invalidateSweep(true); if (!$('pane-backward').hidden) loadSweep().catch(() => {}); }
    }
    drawOverlay();
    const seq = ++S.explainSeq, out = S.output;
    $('explain-title').textContent = n.name != null ? `∂${out}/∂${n.name}` : `∂${out} / an unnamed ${n.op} node`;
    $('explain-note').textContent = 'explaining…';
    $('explain-note').classList.remove('error-text');
    try {
      const ex = await api('/api/explain?' + qv({ output: out, node: n.id }));
      if (seq !== S.explainSeq) return;
      if (S.graph && S.graph.names && ex.paths) {
        // over names, the lit edges are the names' own, each with its local derivative through the consumer's definition
        const on = new Set(ex.paths.nodes || []);
        ex.paths.edges = (S.graph.edges || []).filter((e) => on.has(e.from) && on.has(e.to))
          .map((e) => ({ from: e.from, to: e.to, k: e.k, local: e.local }));
      }
      S.explain = ex;
      const typeset = tex($('explain-math'), ex.latex);
      $('explain-text').textContent = ex.text || '';
      $('explain-text').hidden = !ex.text || (typeset && !$('explain-text-toggle').checked);
      $('explain-note').textContent = ex.note || (ex.text || ex.latex ? '' : 'no explanation for this node');
    } catch (e) {
      if (seq !== S.explainSeq || e.superseded) return;
      S.explain = null;
      $('explain-math').textContent = ''; $('explain-text').textContent = ''; $('explain-text').hidden = true;
      $('explain-note').textContent = e.message; $('explain-note').classList.add('error-text');
    }
    drawOverlay();
  }
  const HINT = 'Click a node of the graph: the chain rule from the output down to it appears here, ' +
    'and its paths light up with each edge\'s local derivative.';
  // After a redraw (new model, new output, training) find the clicked node again by name.
  function reselect() {
    const sel = S.selected;
    if (!sel) return;
    let n = null;
    if (sel.name != null) for (const x of S.nodes.values()) if (x.name === sel.name) { n = x; break; }
    if (n) { select(n); return; }
    S.selected = null; S.explain = null; S.explainSeq++;
    $('explain-title').textContent = 'click a node';
    $('explain-math').textContent = ''; $('explain-text').textContent = ''; $('explain-text').hidden = true;
    $('explain-note').textContent = HINT; $('explain-note').classList.remove('error-text');
    drawOverlay();
  }
  $('explain-text-toggle').addEventListener('change', () => {
    $('explain-text').hidden = !$('explain-text-toggle').checked || !$('explain-text').textContent;
  });

  // ---------------------------------------------------------------- backward / forward stepper
  function invalidateSweep(keepBack = false) {
    const sw = S.sweep;
    stopSweep();
    sw.data = null; sw.index = -1; sw.loading = null; sw.seq++;
    if (!keepBack) sw.back = null;
    renderStep();
    // Loaded again on demand (a stepper button, the tab shown), not on every edit: the sweep of a
    // big model is a large answer.
  }

  function loadSweep() {
    const sw = S.sweep;
    if (sw.data) return Promise.resolve(sw.data);
    if (sw.loading) return sw.loading;
    if (!S.model || !S.output) return Promise.reject(new Error('no model'));
    const seq = sw.seq, out = S.output;
    sw.loading = (async () => {
      try {
        const names = $('step-names').checked;
        if (!sw.back || sw.back.output !== out || sw.back.askedNames !== names) {
          const back = await api('/api/backward?' + qv({ output: out, names }));
          if (seq !== sw.seq) throw new Error('stale');
          sw.back = Object.assign(back, { output: out, askedNames: names });
        }
        if (sw.mode === 'forward') {
          const params = (S.model.params || []).map((p) => p.name);
          const wrt = sw.wrt || params[0];
          if (!wrt) throw new Error('forward mode needs a leaf: click one in the graph');
          sw.wrt = wrt;
          const fwd = await api('/api/forward?' + qv({ output: out, wrt }));
          if (seq !== sw.seq) throw new Error('stale');
          sw.data = fwd;
        } else {
          sw.data = sw.back;
        }
        sw.index = Math.min(sw.index, sw.data.steps.length - 1);
        return sw.data;
      } catch (e) {
        if (seq === sw.seq) {
          sw.loading = null;
          const el = $('step-current');
          if (e.message !== 'stale' && !e.superseded) { el.className = 'step-current error'; el.textContent = e.message; }
        }
        throw e;
      } finally {
        if (seq === sw.seq) { sw.loading = null; renderStep(true); }
      }
    })();
    return sw.loading;
  }

  async function go(f) {
    try { await loadSweep(); } catch (_) { return; }
    const sw = S.sweep, n = sw.data.steps.length;
    sw.index = Math.max(-1, Math.min(n - 1, f(sw.index, n)));
    renderStep();
    drawOverlay();
    const st = sw.data.steps[sw.index];
    if (st) scrollToNode(st.node);
  }
  $('step-first').addEventListener('click', () => go(() => 0));
  $('step-prev').addEventListener('click', () => go((i) => i - 1));
  $('step-next').addEventListener('click', () => go((i) => i + 1));
  $('step-last').addEventListener('click', () => go((i, n) => n - 1));
  $('step-play').addEventListener('click', async () => {
    const sw = S.sweep;
    if (sw.timer) { stopSweep(); return; }
    try { await loadSweep(); } catch (_) { return; }
    if (sw.index >= sw.data.steps.length - 1) sw.index = -1;
    const tick = () => {
      if (!sw.data || sw.index >= sw.data.steps.length - 1) { stopSweep(); return; }
      go((i) => i + 1);
      sw.timer = setTimeout(tick, 1000 / Number($('step-speed').value));
    };
    $('step-play').textContent = '❚❚ pause'; $('step-play').classList.add('on');
    sw.timer = setTimeout(tick, 0);
  });
  function stopSweep() {
    clearTimeout(S.sweep.timer); S.sweep.timer = 0;
    $('step-play').textContent = '▶ play'; $('step-play').classList.remove('on');
  }
  $('step-speed').addEventListener('input', () => { $('step-speed-value').textContent = `${$('step-speed').value}/s`; });
  $('graph-names').addEventListener('change', () => { S.explain = null; loadGraph(); });
  $('step-names').addEventListener('change', () => {
    invalidateSweep();
    drawOverlay();
    loadSweep().catch(() => {});
  });
  $('mode-forward').addEventListener('change', () => {
    S.sweep.mode = $('mode-forward').checked ? 'forward' : 'reverse';
    $('step-names').disabled = S.sweep.mode === 'forward';   // forward mode steps every operation
    invalidateSweep(true);
    drawOverlay();
    loadSweep().catch(() => {});
  });

  function renderStep(keepError = false) {
    const sw = S.sweep, el = $('step-current');
    const n = sw.data ? sw.data.steps.length : null;
    $('step-counter').textContent = `step ${sw.index + 1} of ${n == null ? '–' : n}` + (sw.mode === 'forward' && sw.wrt ? ` · wrt ${sw.wrt}` : '');
    const note = $('sweep-note');
    if (sw.mode === 'forward' && sw.data && sw.back) {
      const N = sw.data.sweeps, P = sw.back.params;
      note.textContent = `forward mode: one sweep per param (${N} sweep${N === 1 ? '' : 's'}) — reverse mode: one sweep for all ${P}`;
      note.hidden = false;
    } else if (sw.mode === 'reverse' && sw.back && sw.back.note) {
      // over names was asked for, but the model has tensors: the server stepped its operations
      note.textContent = sw.back.note;
      note.hidden = false;
    } else note.hidden = true;
    // names asked for and not possible: the box would change nothing until another model
    $('step-names').disabled = !!(sw.back && sw.back.note);
    if (keepError && el.classList.contains('error') && !sw.data) return;
    el.className = 'step-current';
    el.removeAttribute('data-label'); el.removeAttribute('data-node');
    const out = S.output || 'E';
    if (!sw.data) {
      el.textContent = sw.loading ? 'loading the sweep…' : !S.model ? ''
        : S.output ? `Press ▶ to step through the ${sw.mode} sweep of ${out}.` : 'The model has no output to sweep back from yet.';
      return;
    }
    const st = sw.data.steps[sw.index];
    if (!st) {
      el.textContent = sw.mode === 'forward'
        ? `Forward mode carries ∂/∂${sw.wrt} forward from the leaf, node by node: press ▶.`
        : `Reverse mode starts at ${out} with ∂${out}/∂${out} = 1 and hands each node's adjoint to its inputs: press ▶.`;
      return;
    }
    el.dataset.label = st.label; el.dataset.node = st.node;
    const L = lab(st.label);
    let lines = [];
    if (sw.mode === 'forward') {
      const Wn = sw.wrt, head = `∂${L}/∂${Wn}`, res = first(st.tangent);
      const terms = st.terms || [];
      const term = (t) => `∂${L}/∂${lab(t.inputLabel)} · ∂${lab(t.inputLabel)}/∂${Wn} = ${num(first(t.local))} × ${num(first(t.tangent))}` +
        (t.product ? ` = ${first(t.product)}` : '');
      if (!terms.length) lines.push(`<span class="head">${esc(head)}</span> = <span class="res">${esc(res)}</span>` +
        (st.label === Wn ? '   (the seed: the sweep starts here)' : ''));
      else if (terms.length === 1 && t1same(terms[0].product, st.tangent)) lines.push(`<span class="head">${esc(head)}</span> = ${esc(term(terms[0]))}`);
      else {
        lines.push(`<span class="head">${esc(head)}</span> = Σ over inputs`);
        for (const t of terms) lines.push('    ' + esc(term(t)));
        lines.push(`    = <span class="res">${esc(res)}</span>`);
      }
      if (isTensor(st.tangent)) lines.push(`<span class="more">${esc(st.tangent.slice(1).join('\n'))}</span>`);
    } else {
      const head = `∂${out}/∂${L}`, res = first(st.adjoint);
      const terms = st.terms || [];
      const term = (t) => `∂${out}/∂${lab(t.consumerLabel)} · ∂${lab(t.consumerLabel)}/∂${L} = ${num(first(t.upstream))} × ${num(first(t.local))}` +
        (t.product ? ` = ${first(t.product)}` : '');
      if (!terms.length) lines.push(`<span class="head">${esc(head)}</span> = <span class="res">${esc(res)}</span>` +
        (sw.index === 0 ? '   (the output: the sweep starts here)' : ''));
      else if (terms.length === 1 && t1same(terms[0].product, st.adjoint)) lines.push(`<span class="head">${esc(head)}</span> = ${esc(term(terms[0]))}`);
      else {
        lines.push(`<span class="head">${esc(head)}</span> = Σ over consumers`);
        for (const t of terms) lines.push('    ' + esc(term(t)));
        lines.push(`    = <span class="res">${esc(res)}</span>`);
      }
      // over names: each local derivative through its consumer's definition, as the model's names write it
      for (const t of terms) {
        // a local derivative that is a number is written once: = 1, not = 1 = 1
        const localValue = first(t.local);
        if (t.formula) lines.push(`<span class="more">  ∂${esc(lab(t.consumerLabel))}/∂${esc(L)} = ${esc(t.formula)}`
          + `${t.formula === localValue ? '' : ` = ${esc(localValue)}`}</span>`);
      }
      if (isTensor(st.adjoint)) lines.push(`<span class="more">${esc(st.adjoint.slice(1).join('\n'))}</span>`);
    }
    el.innerHTML = lines.join('\n');
  }
  // One term whose product is the result: write it on one line.
  const t1same = (product, result) => product && first(product) === first(result) && !isTensor(result);

  // ---------------------------------------------------------------- tabs
  document.querySelectorAll('.tab').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
  function showTab(name) {
    document.querySelectorAll('.tab').forEach((b) => {
      b.classList.toggle('active', b.dataset.tab === name);
      b.setAttribute('aria-selected', String(b.dataset.tab === name));
    });
    document.querySelectorAll('.tab-body').forEach((p) => { p.hidden = p.dataset.pane !== name; });
    if (name === 'backward' && !S.sweep.data && S.model) loadSweep().catch(() => {});
    if (name === 'training') { drawLoss(); drawBoundary(); }
  }

  // ---------------------------------------------------------------- training
  const TRAIN_CONTROLS = ['train-optimizer', 'train-lr', 'train-batch', 'train-step', 'train-play', 'train-pause', 'train-reset'];
  function setupTraining(t) {
    for (const id of TRAIN_CONTROLS) $(id).disabled = !t;
    $('train-none').hidden = !!t;
    $('boundary-figure').hidden = !(t && t.boundary);
    if (t && t.boundary) $('boundary-caption').textContent = `decision boundary: ${t.boundary.out} over ${t.boundary.x}, coloured by ${t.boundary.y}`;
    const key = JSON.stringify(t && [t.loss, t.lr, t.optimizer, t.batch]);
    if (t && key !== S.trainDefaults) {     // don't overwrite the user's choice on every edit
      $('train-optimizer').value = t.optimizer;
      $('train-lr').value = t.lr;
      $('train-batch').value = t.batch;
    }
    S.trainDefaults = key;
  }
  function resetTrainView() {
    stats.losses = []; stats.firstBoundary = null; stats.lastBoundary = null;
    S.lastBoundary = null; S.points = null; S.lastStep = -1;
    $('train-status').textContent = S.model && S.model.training ? `ready to lower ${S.model.training.loss}` : 'no training run yet';
    $('train-status').classList.remove('error');
    drawLoss(); drawBoundary();
  }
  async function train(action, extra = {}) {
    const body = {
      action, optimizer: $('train-optimizer').value, lr: Number($('train-lr').value),
      batch: Math.max(0, Math.floor(Number($('train-batch').value) || 0)), ...extra,
    };
    try {
      const r = await api('/api/train?' + qv({}), { body });
      setRunning(r.running);
      if (action === 'reset') { if (r.analysis) applyModel(r.analysis, null); resetTrainView(); S.graphStep = r.step; }
      else if (!r.running && r.step !== S.graphStep) refreshAfterTraining(r.step);
    } catch (e) {
      $('train-status').textContent = e.message; $('train-status').classList.add('error');
    }
  }
  $('train-step').addEventListener('click', () => {
    const steps = Math.max(1, Math.min(100000, Math.floor(Number($('train-steps').value) || 1)));
    train('step', { steps });
  });
  // new settings while playing: play on with them (the server starts the optimizer again from the current params)
  ['train-optimizer', 'train-lr', 'train-batch'].forEach((id) => $(id).addEventListener('change', () => { if (S.running) train('play'); }));
  $('train-play').addEventListener('click', () => train('play'));
  $('train-pause').addEventListener('click', () => train('pause'));
  // Reset builds the model again from the editor's text (which stops the run): the params start over
  // Reset builds the model shown again (its params back where its text puts them); when the
  // editor holds text that did not build, that text is sent again so its diagnostics stay
  $('train-reset').addEventListener('click', async () => {
    await train('reset');
    if (editor.value !== S.builtText) sendModel();
  });
  const PLAYING = 'values from before training played: redrawn when it pauses (the params table is live)';
  function setRunning(on) {
    S.running = on;
    $('train-dot').classList.toggle('on', on);
    $('train-dot').title = on ? 'running' : 'stopped';
    // the graph is redrawn when a run stops; while it plays its numbers are old, and say so
    if (on && S.drawn) staleNote(PLAYING);
    else if (!on && $('stale-note').textContent === PLAYING) staleNote(null);
  }

  function onFrame(f) {
    if (typeof f.step === 'number' && f.step < S.lastStep) resetTrainView();   // a new run from step 0
    if (typeof f.step === 'number') S.lastStep = f.step;
    const st = $('train-status');
    if (f.error) { st.textContent = f.error; st.classList.add('error'); }
    else if (f.step != null) {
      st.textContent = `step ${f.step} · loss ${f.loss != null ? f.loss : '—'}`; st.classList.remove('error');
    }
    $('loss-caption').textContent = f.batch > 0 ? `loss per mini-batch of ${f.batch} rows (the status: on all rows)` : 'loss';
    if (Array.isArray(f.losses) && f.losses.length) { for (const p of f.losses) stats.losses.push(p); drawLoss(); }
    if (Array.isArray(f.params)) renderParams(f.params, S.model && S.model.training ? S.model.training.loss : null);
    if (f.boundary) {
      if (!S.points && Array.isArray(f.boundary.points) && f.boundary.points.length) S.points = f.boundary.points;
      S.lastBoundary = f.boundary;
      if (!stats.firstBoundary) stats.firstBoundary = f.boundary.values.slice();
      stats.lastBoundary = f.boundary.values;
      drawBoundary();
    }
    setRunning(!!f.running);
    // A run stopped (or a single step was made): the drawn values are old, fetch them again once.
    if (!f.running && typeof f.step === 'number' && f.step !== S.graphStep) refreshAfterTraining(f.step);
  }

  function refreshAfterTraining(step) {
    S.graphStep = step;
    loadGraph();
    invalidateSweep();
  }

  /** The params table: each param's value and its gradient of {@code of} (the output shown, or the loss training lowers). */
  function renderParams(params, of) {
    const head = $('params').tHead.rows[0].cells[2];
    head.textContent = of ? `∂${of}/∂param` : 'grad';
    head.title = of ? `the gradient of ${of}` : '';
    const rows = (params || []).map((p) => {
      const v = p.value || [], g = p.grad || [];
      const sub = (lines) => (isTensor(lines) ? `<div class="sub">${esc(lines.slice(1).join('\n'))}</div>` : '');
      return `<tr><td title="${esc(p.shape)}">${esc(p.name)}</td><td>${esc(first(v))}${sub(v)}</td><td>${esc(first(g) || '—')}${sub(g)}</td></tr>`;
    });
    $('params').tBodies[0].innerHTML = rows.join('');
  }

  // Size a canvas's backing store to its CSS size (sharp on high-dpi screens).
  function fitCanvas(c) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(50, Math.round(c.clientWidth || c.width)), h = Math.max(50, Math.round(c.clientHeight || c.height));
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); }
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx, w, h };
  }

  function drawLoss() {
    const c = $('loss-canvas');
    if ($('pane-training').hidden) return;       // hidden tab: drawn when shown (no forced layout)
    const { ctx, w, h } = fitCanvas(c);
    ctx.clearRect(0, 0, w, h);
    const pts = stats.losses;
    ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = '#687083';
    if (pts.length < 1) { ctx.fillText('the loss curve appears here while training', 10, h / 2); return; }
    let lo = Infinity, hi = -Infinity;
    for (const p of pts) { if (p[1] < lo) lo = p[1]; if (p[1] > hi) hi = p[1]; }
    const log = lo > 0 && hi / lo > 20;             // log y-axis when the loss spans decades
    const f = (v) => (log ? Math.log10(v) : v);
    let a = f(lo), b = f(hi);
    if (!(b > a)) { a -= 0.5; b += 0.5; }
    const s0 = pts[0][0], s1 = Math.max(pts[pts.length - 1][0], s0 + 1);
    const L = 46, R = 8, T = 8, B = 18;
    const X = (s) => L + (s - s0) / (s1 - s0) * (w - L - R), Y = (v) => T + (1 - (f(v) - a) / (b - a)) * (h - T - B);
    ctx.strokeStyle = '#e3e6eb'; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, h - B); ctx.lineTo(w - R, h - B); ctx.stroke();
    ctx.fillText(fmtAxis(hi), 4, T + 8); ctx.fillText(fmtAxis(lo), 4, h - B);
    ctx.fillText(String(s0), L, h - 4); ctx.textAlign = 'right'; ctx.fillText(`step ${pts[pts.length - 1][0]}${log ? ' · log' : ''}`, w - R, h - 4); ctx.textAlign = 'left';
    // At most ~2 points per pixel column: min and max of each bucket.
    const per = Math.max(1, Math.ceil(pts.length / (w - L - R)));
    ctx.strokeStyle = '#1f5fbf'; ctx.lineWidth = 1.5; ctx.beginPath();
    for (let i = 0; i < pts.length; i += per) {
      let mn = pts[i], mx = pts[i];
      for (let j = i + 1; j < i + per && j < pts.length; j++) { if (pts[j][1] < mn[1]) mn = pts[j]; if (pts[j][1] > mx[1]) mx = pts[j]; }
      const x = X(pts[i][0]);
      if (i === 0) ctx.moveTo(x, Y(mx[1])); else ctx.lineTo(x, Y(mx[1]));
      if (mn !== mx) ctx.lineTo(x, Y(mn[1]));
    }
    ctx.stroke();
  }
  const fmtAxis = (v) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(3))));

  // Boundary: value 0 → blue, 0.5 → white, 1 → red.
  function colour(v) {
    if (!(v >= 0)) v = 0; if (v > 1) v = 1;
    const B = [33, 102, 172], R = [178, 24, 43];
    const [c, t] = v < 0.5 ? [B, 1 - v * 2] : [R, v * 2 - 1];
    return [255 + (c[0] - 255) * t, 255 + (c[1] - 255) * t, 255 + (c[2] - 255) * t];
  }
  // The palette of the data points; a region of class k is a light tint of point colour k.
  const PAL = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00'];
  const TINTS = PAL.map((h) => [1, 3, 5].map((i) => Math.round(255 - (255 - parseInt(h.substr(i, 2), 16)) * 0.35)));
  const classColour = (v) => (v == null || !(v >= 0) ? [255, 255, 255] : TINTS[Math.round(v) % TINTS.length]);
  const grid = document.createElement('canvas');
  function drawBoundary() {
    const c = $('boundary-canvas'), bd = S.lastBoundary;
    if ($('pane-training').hidden || $('boundary-figure').hidden) return;
    const { ctx, w, h } = fitCanvas(c);
    ctx.clearRect(0, 0, w, h);
    if (!bd) {
      ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = '#687083'; ctx.fillText('appears while training', 10, h / 2);
      return;
    }
    const n = bd.n;
    if (grid.width !== n) { grid.width = n; grid.height = n; }
    const g = grid.getContext('2d'), img = g.createImageData(n, n);
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < n; k++) {
        const v = bd.values[r * n + k];
        const [R, G, B] = bd.classes > 0 ? classColour(v) : colour(v);
        const o = ((n - 1 - r) * n + k) * 4;      // row 0 is y0: the bottom
        img.data[o] = R; img.data[o + 1] = G; img.data[o + 2] = B; img.data[o + 3] = 255;
      }
    }
    g.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(grid, 0, 0, w, h);
    if (S.points) {
      const X = (x) => (x - bd.x0) / (bd.x1 - bd.x0) * w, Y = (y) => h - (y - bd.y0) / (bd.y1 - bd.y0) * h;
      ctx.lineWidth = 1; ctx.strokeStyle = '#fff';
      for (const p of S.points) {
        ctx.fillStyle = PAL[Math.abs(Math.round(p[2])) % PAL.length];
        ctx.beginPath(); ctx.arc(X(p[0]), Y(p[1]), 3, 0, Math.PI * 2); ctx.fill(); ctx.stroke();
      }
    }
    stats.boundaryFrames++;
    stats.boundaryFrameTimes.push(performance.now());
  }

  function openEvents() {
    const es = new EventSource('/api/events');
    es.addEventListener('train', (ev) => { try { onFrame(JSON.parse(ev.data)); } catch (e) { status('bad training frame: ' + e.message, true); } });
    es.addEventListener('model', (ev) => {
      try {
        const e = JSON.parse(ev.data);
        if (e.by !== PAGE_ID && (!S.model || e.version !== S.model.version)) showStale(e.source);
      } catch (_) { /* ignore */ }
    });
    es.addEventListener('hello', (ev) => { try { setRunning(!!JSON.parse(ev.data).running); } catch (_) { /* ignore */ } });
  }

  // ---------------------------------------------------------------- derive
  $('derive-go').addEventListener('click', derive);
  [$('derive-of'), $('derive-wrt')].forEach((i) => i.addEventListener('keydown', (e) => { if (e.key === 'Enter') derive(); }));
  async function derive() {
    const of = $('derive-of').value.trim() || S.output, wrt = $('derive-wrt').value.trim();
    const m = $('derive-math');
    if (!wrt) { m.innerHTML = '<p class="error-text">Name the variable to differentiate by (or click a node).</p>'; return; }
    m.innerHTML = '<p class="muted">deriving…</p>';
    try {
      const d = await api('/api/derive?' + qv({ of, wrt }));
      if (!tex(m, d.latex)) showAscii(true);
      $('derive-value').textContent = d.value ? `= ${d.value.join('\n  ')}` : '';
      $('derive-ascii').textContent = d.ascii || '';
    } catch (e) {
      m.innerHTML = `<pre class="error-text">${esc(e.rendered || e.message)}</pre>`;
      $('derive-value').textContent = ''; $('derive-ascii').textContent = '';
    }
  }
  /** Shows (or hides) the derivative's ASCII form, and says so on its toggle. */
  function showAscii(on) {
    $('derive-ascii').hidden = !on;
    $('derive-ascii-toggle').classList.toggle('on', on);
  }
  $('derive-ascii-toggle').addEventListener('click', () => showAscii($('derive-ascii').hidden));

  // ---------------------------------------------------------------- header: examples, files, output
  $('examples').addEventListener('change', async () => {
    const name = $('examples').value;
    if (!name) return;
    if (!mayReplace(`the example ${name}`)) { $('examples').value = S.example || ''; return; }
    try {
      const ex = await api('/api/example?' + q({ name }));
      $('source').textContent = `example:${ex.name}`;
      $('save-name').value = `${ex.name}.chain`;   // Save writes the model shown, under its own name
      $('files').value = ''; S.example = ex.name;
      setText(ex.text);
    } catch (e) { status(e.message, true); }
  });
  $('open').addEventListener('click', async () => {
    const name = $('files').value;
    if (!name || !mayReplace(name)) return;
    try {
      const f = await api('/api/file?' + q({ name }));
      $('source').textContent = f.name; $('save-name').value = f.name;
      $('examples').value = ''; S.example = '';
      setText(f.text);
    } catch (e) { status(e.message, true); }
  });
  $('save').addEventListener('click', async () => {
    let name = $('save-name').value.trim();
    if (!name) { status('name the file to save, e.g. model.chain', true); $('save-name').focus(); return; }
    if (!name.includes('.')) { name += '.chain'; $('save-name').value = name; }   // a model file's own extension
    const text = editor.value;
    try {
      let r;
      try {
        r = await api('/api/file', { body: { name, text } });
      } catch (e) {
        if (e.status !== 409 || !(e.data && e.data.exists) || !window.confirm(e.message)) throw e;
        r = await api('/api/file', { body: { name, text, overwrite: true } });
      }
      $('source').textContent = r.saved;
      markSaved(text);
      $('source').classList.toggle('unsaved', unsaved());
      status(`saved ${r.saved}`);
      const st = await api('/api/state');
      fillFiles(st);
    } catch (e) { status(e.message, true); }
  });
  $('output-select').addEventListener('change', () => {
    const prev = S.output;
    S.output = $('output-select').value;
    if ($('derive-of').value === prev) $('derive-of').value = S.output;
    invalidateSweep();
    loadGraph();
  });

  function fillFiles(st) {
    const sel = $('files');
    const files = st.files || [];
    sel.innerHTML = files.length ? files.map((f) => `<option>${esc(f)}</option>`).join('') : `<option value="">${st.folder ? '(no .chain files)' : '(no folder)'}</option>`;
    sel.disabled = !files.length; $('open').disabled = !files.length;
    sel.title = st.folder ? `.chain files in ${st.folder}` : 'an example has no folder';
  }

  async function start() {
    updateGutter();
    showTab('backward');
    setupTraining(null);
    openEvents();
    let st;
    try { st = await api('/api/state'); } catch (e) {
      status(`cannot reach the server: ${e.message}`, true);
      $('graph').innerHTML = `<p class="empty">${esc(e.status === 403 ? 'The server refused the page: open the URL it printed (with its token).' : e.message)}</p>`;
      return;
    }
    $('examples').innerHTML = '<option value="">choose…</option>' +
      (st.examples || []).map((e) => `<option value="${esc(e.name)}" title="${esc(e.about)}">${esc(e.name)}</option>`).join('');
    fillFiles(st);
    if (st.training) setRunning(!!st.training.running);
    $('source').textContent = st.source || ''; $('source').title = st.source || '';
    const m = /^example:(.*)$/.exec(st.source || '');
    if (m) { $('examples').value = m[1]; $('save-name').value = `${m[1]}.chain`; S.example = m[1]; }
    else if (st.source) $('save-name').value = st.source.split(/[\\/]/).pop();
    setText(st.text || '');
    // the model's text differs from its file or example: edits made before this page opened
    if (st.edited) { S.clean = null; $('source').classList.add('unsaved'); }
  }
  start();
})();
