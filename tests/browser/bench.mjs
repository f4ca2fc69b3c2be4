// Benchmarks (figures, never pass/fail), in Chromium from disk: what a first
// query loads of a site's search index (median and most over a dozen
// queries, each on a fresh page), search latency (parts loaded on first use
// included), and the largest contentful paint of index.html. Sites: the
// fixture, a synthetic ~100-page report (about 60 000 words), $DOSSIER_SITE
// and any built sites named on the command line (the real report's site/,
// benchmark corpora built with dossier build).
//   node bench.mjs [site …]   (from tests/browser, after npm ci)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, fileBase, fixture, launch } from './support.mjs';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]; };

/** A synthetic report: 10 chapters, 30 topics, 30 recommendations, 30 acronyms, prose-like text. */
function syntheticContent() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-synthetic-'));
  const syll = ['tra', 'ffi', 'ck', 'ing', 'la', 'bour', 'vic', 'tim', 'sup', 'port', 'mi', 'gra', 'tion', 'po', 'li', 'ce', 'shel', 'ter', 'fund', 'ed', 'na', 'tio', 'nal', 'ref', 'er', 'ral'];
  let seed = 7;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const vocab = Array.from({ length: 8000 }, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => syll[Math.floor(rand() * syll.length)]).join(''));
  const prose = (words) => Array.from({ length: words }, (_, i) => vocab[Math.floor(rand() ** 3 * vocab.length)] + (i % 14 === 13 ? '.' : '')).join(' ');
  const write = (rel, text) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
  write('_index.md', `---\ntitle: Synthetic report\n---\n${prose(300)}\n`);
  for (let i = 1; i <= 10; i++) {
    let body = '';
    for (let s = 0; s < 6; s++) body += `## Section ${s}\n\n${prose(500)} [[Topic ${i}]] and [[Recommendation ${i}]].[^n${s}]\n\n`;
    for (let s = 0; s < 6; s++) body += `[^n${s}]: ${prose(25)}\n`;
    write(`chapters/c${i}.md`, `---\ntitle: Chapter ${i}\nkind: chapter\norder: ${i}\nsummary: ${prose(15)}\n---\n${body}`);
  }
  for (let i = 1; i <= 30; i++) {
    write(`topics/t${i}.md`, `---\ntitle: Topic ${i}\nkind: topic\nsummary: ${prose(12)}\n---\n${prose(300)} [[Recommendation ${i}]]\n`);
    write(`recommendations/r${i}.md`, `---\ntitle: Recommendation ${i}\nkind: recommendation\norder: ${i}\nsummary: ${prose(12)}\n---\n${prose(150)} [[Topic ${(i % 30) + 1}]]\n`);
    const ac = 'A' + String.fromCharCode(65 + (i % 26)) + String.fromCharCode(65 + Math.floor(i / 26)) + 'X';
    write(`acronyms/a${i}.md`, `---\ntitle: ${ac}\nkind: acronym\nexpansion: ${prose(3)}\n---\n${prose(30)}\n`);
  }
  return dir;
}

/** The site's words, read from its word parts on disk. */
function siteWords(site) {
  const dir = path.join(site, 'search');
  return fs.readdirSync(dir).filter((f) => /^w\d+\.js$/.test(f)).sort()
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8').replace(/^dossierSearchPart\("[^"]*",/, '').replace(/\);\s*$/, ''))
      .split(' ').map((e) => e.slice(0, e.indexOf(':'))));
}

/** Bytes of the index's scripts that `page` has loaded (sizes on disk). */
async function loadedBytes(page) {
  const srcs = await page.evaluate(() => [...document.scripts].map((s) => s.src).filter((s) => /search-index\.js$|\/search\/[wp]\d+\.js$/.test(s)));
  return srcs.reduce((sum, src) => sum + fs.statSync(fileURLToPath(src)).size, 0);
}

async function bench(name, site) {
  const context = await launch();
  const base = fileBase(site);
  const words = siteWords(site);
  const pick = (n) => words[(n * 7919) % words.length];
  const queries = ['traffick', 'trafficing', 'forced labour', 'victim support', 'po', 'national referral mechanism'];
  for (let i = 0; i < 24; i++) queries.push(pick(i).slice(0, 5), pick(i + 100) + ' ' + pick(i + 200));
  const run = (q) => new Promise((done) => { const t0 = performance.now(); window.dossierSearch(q, 8, () => done(performance.now() - t0)); });
  // A first query: a fresh page, nothing loaded yet.
  const loads = [];
  for (const q of queries.slice(0, 12)) {
    const p = await context.newPage();
    await p.goto(base + 'index.html');
    await p.evaluate(run, q);
    loads.push(await loadedBytes(p));
    await p.close();
  }
  const page = await context.newPage();
  await page.goto(base + 'index.html');
  const search = [];
  for (let rep = 0; rep < 3; rep++) {
    for (const q of queries) search.push(await page.evaluate(run, q));
  }
  const lcps = [];
  for (let i = 0; i < 15; i++) {
    const p = await context.newPage();
    await p.addInitScript(() => {
      window.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__lcp = e.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    await p.goto(base + 'index.html', { waitUntil: 'load' });
    await p.waitForTimeout(300);
    lcps.push(await p.evaluate(() => window.__lcp));
    await p.close();
  }
  await context.close();
  const kb = (n) => (n / 1024).toFixed(0);
  console.log(`${name}: a first query loads median ${kb(median(loads))} KB, at most ${kb(Math.max(...loads))} KB; search median ${median(search).toFixed(2)} ms, p95 ${p95(search).toFixed(2)} ms over ${search.length} queries; index.html LCP from disk median ${median(lcps).toFixed(0)} ms (${lcps.length} loads)`);
}

await bench('fixture', buildSite(fixture));
await bench('synthetic 100-page report', buildSite(syntheticContent()));
for (const site of [process.env.DOSSIER_SITE, ...process.argv.slice(2)].filter(Boolean)) await bench(site, path.resolve(site));
