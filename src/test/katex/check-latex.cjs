// Renders every piece of LaTeX chainrule writes with KaTeX (throwOnError: true): the corpus the
// tests gather (target/latex/corpus.jsonl, see LatexCorpusTest), the README's mathematics and
// the notebooks' (markdown cells and text/latex outputs). Exits 1 naming each piece that does
// not render. Usage: node src/test/katex/check-latex.cjs KATEX_MODULE_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const katex = require(process.argv[2] || 'katex');
const root = path.resolve(__dirname, '..', '..', '..');

/** The display ($$...$$) and inline ($...$) mathematics of a Markdown text. */
function mathOfMarkdown(text) {
  const pieces = [];
  const withoutCode = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const display = /\$\$([\s\S]+?)\$\$/g;
  let rest = withoutCode.replace(display, (_, tex) => { pieces.push({ tex, display: true }); return ' '; });
  const inline = /(^|[^\\$])\$([^$\n]+?)\$/g;
  let m;
  while ((m = inline.exec(rest)) !== null) {
    pieces.push({ tex: m[2], display: false });
  }
  return pieces;
}

const pieces = [];
function add(source, tex, display) {
  pieces.push({ source, tex, display });
}

const corpus = path.join(root, 'target', 'latex', 'corpus.jsonl');
if (!fs.existsSync(corpus)) {
  console.error(`${corpus} is missing: run the tests first (mvn verify)`);
  process.exit(1);
}
for (const line of fs.readFileSync(corpus, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const entry = JSON.parse(line);
  if (entry.kind === 'latex') {
    add(entry.source, entry.tex, true);
  } else {
    const math = mathOfMarkdown(entry.tex);
    if (math.length === 0) add(entry.source, '\\text{markdown without mathematics}\\notacommand', true);
    for (const p of math) add(entry.source + ' (markdown)', p.tex, p.display);
  }
}
for (const p of mathOfMarkdown(fs.readFileSync(path.join(root, 'README.md'), 'utf8'))) {
  add('README.md', p.tex, p.display);
}
const notebooks = path.join(root, 'notebooks');
for (const name of fs.readdirSync(notebooks).filter(n => n.endsWith('.ipynb')).sort()) {
  const nb = JSON.parse(fs.readFileSync(path.join(notebooks, name), 'utf8'));
  nb.cells.forEach((cell, i) => {
    const source = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source || '');
    if (cell.cell_type === 'markdown') {
      for (const p of mathOfMarkdown(source)) add(`${name} cell ${i}`, p.tex, p.display);
    }
    for (const out of cell.outputs || []) {
      const latex = out.data && out.data['text/latex'];
      if (latex) {
        const text = Array.isArray(latex) ? latex.join('') : latex;
        const math = mathOfMarkdown(text);
        if (math.length === 0) add(`${name} cell ${i} output`, text, true);
        for (const p of math) add(`${name} cell ${i} output`, p.tex, p.display);
      }
    }
  });
}

let failed = 0;
const counts = {};
for (const p of pieces) {
  const kind = p.source.split(/[ :]/)[0];
  counts[kind] = (counts[kind] || 0) + 1;
  try {
    katex.renderToString(p.tex, { throwOnError: true, displayMode: p.display });
  } catch (e) {
    failed++;
    if (failed <= 20) {
      console.error(`does not render: ${p.source}\n  ${e.message}\n  ${p.tex.slice(0, 400).replace(/\n/g, '\n  ')}`);
    }
  }
}
console.log(`KaTeX ${katex.version}: ${pieces.length - failed} of ${pieces.length} pieces of LaTeX render`
  + ` (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
process.exit(failed === 0 ? 0 : 1);
