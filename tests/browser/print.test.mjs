// Print, the not-found page, the theme toggle and the small marks of a page
// (kind badges, dates), in Debian's headless Chromium, over file:// and http.
// Run with `node --test` (see run.sh). A browser that cannot start is a
// failure, never a skip.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  artifacts, describeInBrowser, fileBase, luminance, samplePages, serve, siteDir,
} from './support.mjs';

const site = siteDir();
const samples = samplePages(site);
const isFixture = !process.env.DOSSIER_SITE || process.env.DOSSIER_FIXTURE === '1';
fs.mkdirSync(artifacts, { recursive: true });

/** WCAG contrast ratio of two relative luminances. */
function contrast(a, b) {
  const [hi, lo] = a > b ? [a, b] : [b, a];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The site served under `/report/` the way a web host serves a site in a
 * sub-folder: files as they are, and for any missing path (at any depth) the
 * site's 404.html with status 404.
 */
async function serveUnder(dir, prefix) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const rel = url.pathname.startsWith(prefix) ? decodeURIComponent(url.pathname.slice(prefix.length)) : null;
    const file = rel === null ? null : path.join(dir, rel);
    if (file && file.startsWith(dir) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      const type = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' }[path.extname(file)];
      res.writeHead(200, { 'content-type': type || 'application/octet-stream' });
      res.end(fs.readFileSync(file));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(fs.readFileSync(path.join(dir, '404.html')));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { base, close: () => new Promise((r) => server.close(r)) };
}

let server;
let nested;
before(async () => {
  server = await serve(site);
  nested = await serveUnder(site, '/report/');
});
after(async () => {
  await server?.close();
  await nested?.close();
});

/** What a reader sees of print: colours, underlines, hidden chrome, measure. */
function printFacts() {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const main = document.querySelector('main');
  const texts = [...main.querySelectorAll('h1, h2, h3, p, li, dt, dd, blockquote, figcaption')].filter(visible);
  // The palest text and the darkest background a reader would see on paper.
  let palest = 0;
  let palestOf = '';
  for (const e of texts) {
    const l = lum(getComputedStyle(e).color);
    if (l > palest || palestOf === '') { palest = l; palestOf = `${e.tagName} ${e.textContent.slice(0, 40)}`; }
  }
  let darkestBg = 1;
  let darkestOf = '';
  for (const e of [document.documentElement, document.body, ...main.querySelectorAll('*')]) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent' || !visible(e)) continue;
    const l = lum(bg);
    if (l < darkestBg) { darkestBg = l; darkestOf = `${e.tagName}.${e.className}`; }
  }
  const underlined = [...main.querySelectorAll('a, abbr')].filter(visible)
    .filter((a) => getComputedStyle(a).textDecorationLine.includes('underline'))
    .map((a) => a.textContent.slice(0, 30));
  const hiddenChrome = ['.site-header', '.site-footer', '.breadcrumbs', '.theme-toggle', '.site-search', '.backlinks', '.prev-next', '.toc']
    .flatMap((sel) => [...document.querySelectorAll(sel)]).filter(visible).map((e) => e.className);
  const backrefs = [...document.querySelectorAll('.footnote-backref')].filter(visible).length;
  const h1 = document.querySelector('main h1');
  // Characters a line of running text: the paragraph's width over the
  // average width of its characters (its text set on one line).
  const p = [...main.querySelectorAll('.content p, .print-page p')].filter(visible)
    .filter((e) => !e.closest('aside, blockquote, .summary'))
    .sort((a, b) => b.textContent.length - a.textContent.length)[0];
  let perLine = null;
  if (p && p.textContent.length > 100) {
    const text = p.textContent.replace(/\s+/g, ' ');
    const probe = document.createElement('span');
    probe.style.whiteSpace = 'nowrap';
    probe.textContent = text;
    p.appendChild(probe);
    const average = probe.getBoundingClientRect().width / text.length;
    probe.remove();
    perLine = p.clientWidth / average;
  }
  return {
    palest, palestOf, darkestBg, darkestOf, underlined, hiddenChrome, backrefs,
    h1: h1 ? lum(getComputedStyle(h1).color) : null,
    perLine,
  };
}

for (const mode of ['file', 'http']) {
  describeInBrowser(`print, 404 and theme over ${mode}://`, {
    base: () => mode === 'file' ? fileBase(site) : server.base,
    launch: { colorScheme: 'dark' },
    inside: (base) => mode === 'file' ? base : 'http://127.0.0.1:',
  }, (suite) => {
    const { it } = suite;
    function assertClean() {
      assert.deepEqual(suite.seen.errors, [], 'no console errors or uncaught exceptions');
      assert.deepEqual(suite.seen.outside(), [], 'no request leaves the site');
    }

    it('printing with the system in dark mode gives dark text on white, no underlines, no ↩, no chrome, ~70 characters a line', async () => {
      for (const rel of [samples.chapter, 'print.html', samples.acronym, samples.recommendation].filter(Boolean)) {
        const page = await suite.context.newPage();
        await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
        await page.goto(suite.base + rel);
        const f = await page.evaluate(printFacts);
        assert.ok(f.h1 !== null && contrast(f.h1, 1) >= 4.5, `${rel}: printed h1 contrast ${contrast(f.h1, 1).toFixed(2)} on white`);
        assert.ok(contrast(f.palest, 1) >= 4.5, `${rel}: palest printed text (${f.palestOf}) has contrast ${contrast(f.palest, 1).toFixed(2)} on white`);
        assert.ok(f.darkestBg > 0.9, `${rel}: a dark background is printed (${f.darkestOf})`);
        assert.deepEqual(f.underlined, [], `${rel}: no underlined links on paper`);
        assert.deepEqual(f.hiddenChrome, [], `${rel}: no screen furniture on paper`);
        assert.equal(f.backrefs, 0, `${rel}: no ↩ on paper`);
        if (f.perLine !== null) {
          assert.ok(f.perLine >= 55 && f.perLine <= 85, `${rel}: ${f.perLine.toFixed(0)} characters a line`);
        }
        // Every printed page names the report, in the page margin.
        const title = await page.evaluate(() => document.querySelector('.site-title')?.textContent.trim());
        // (Rules of a stylesheet file cannot be read from file://; the
        // title is set in the page's own <style>.)
        const margin = await page.evaluate(() => [...document.styleSheets].flatMap((s) => { try { return [...s.cssRules]; } catch { return []; } })
          .filter((r) => r.type === CSSRule.PAGE_RULE).map((r) => r.cssText).join('\n'));
        assert.ok(margin.includes('@top-left') && margin.includes(JSON.stringify(title)), `${rel}: the report's title in the page margin: ${margin}`);
        if (mode === 'file') {
          const name = rel === 'print.html' ? 'print-preview-print-html-dark.png' : `print-preview-${rel.split('/')[0]}-dark.png`;
          await page.screenshot({ path: path.join(artifacts, name) });
        }
        await page.close();
      }
      assertClean();
    });

    it('print.html is the report in reading order with short appendices, and says how to print one chapter', async () => {
      const page = await suite.context.newPage();
      await page.goto(suite.base + 'print.html');
      assert.match(await page.locator('.print-note').innerText(), /single chapter/);
      // Appendices list their pages; no page's text is printed twice.
      const whole = await page.$$eval('.print-part .print-page', (s) => s.map((e) => e.id));
      const listed = await page.$$eval('.print-appendix li, .print-part .glossary dt', (s) => s.length);
      if (samples.recommendation) assert.ok(listed > 0, 'appendices list their pages');
      for (const id of whole) assert.doesNotMatch(id, /^(recommendations|sources|interviews|acronyms|topics)-/, `${id} printed whole in an appendix`);
      if (mode === 'file') {
        const pdf = await page.pdf({ format: 'A4', path: path.join(artifacts, 'print-report.pdf') });
        const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
        console.log(`print.html: ${pages} A4 pages`);
        // The report's printout was 88 A4 pages measured this way (95 with
        // other margins), 75 of them appendices repeating the same quotes.
        if (!isFixture) assert.ok(pages > 10 && pages <= 36, `print.html is ${pages} A4 pages`);
        else assert.ok(pages <= 12, `print.html is ${pages} A4 pages`);
      }
      await page.close();
      assertClean();
    });

    it('the theme toggle says what it does, cycles system → other → system theme → system, and remembers', async () => {
      const page = await suite.context.newPage();
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(suite.base + 'index.html');
      await page.evaluate(() => localStorage.removeItem('dossier-theme'));
      await page.reload();
      const bg = async () => luminance(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
      const toggle = page.locator('.theme-toggle');
      const state = () => page.evaluate(() => ({
        theme: document.documentElement.getAttribute('data-theme'),
        stored: localStorage.getItem('dossier-theme'),
      }));
      assert.ok(await bg() < 0.05, 'dark, following the system');
      assert.ok(await page.getByRole('button', { name: /^Switch to light theme/ }).isVisible(), 'named by what it does');
      if (mode === 'file') await toggle.screenshot({ path: path.join(artifacts, 'theme-toggle-system.png') });
      await toggle.click();
      assert.ok(await bg() > 0.8, 'light');
      assert.deepEqual(await state(), { theme: 'light', stored: 'light' });
      assert.ok(await page.getByRole('button', { name: /^Switch to dark theme/ }).isVisible());
      if (mode === 'file') await toggle.screenshot({ path: path.join(artifacts, 'theme-toggle-light.png') });
      await page.reload();
      assert.ok(await bg() > 0.8, 'light remembered after reload');
      await toggle.click();
      assert.ok(await bg() < 0.05, 'dark');
      assert.deepEqual(await state(), { theme: 'dark', stored: 'dark' });
      const back = page.getByRole('button', { name: /^Follow the system theme/ });
      assert.ok(await back.isVisible(), 'offers to follow the system again');
      if (mode === 'file') await toggle.screenshot({ path: path.join(artifacts, 'theme-toggle-dark.png') });
      await back.click();
      assert.deepEqual(await state(), { theme: null, stored: null }, 'back to following the system');
      await page.emulateMedia({ colorScheme: 'light' });
      assert.ok(await bg() > 0.8, 'follows the system when it turns light');
      // (The system's change reaches the page as an event.)
      await page.getByRole('button', { name: /^Switch to dark theme/ }).waitFor({ timeout: 5000 });
      await page.reload();
      assert.deepEqual(await state(), { theme: null, stored: null }, 'still following the system after reload');
      await page.close();
      assertClean();
    });

    it('the not-found page has its style and working links wherever it is served', async () => {
      const urls = mode === 'file'
        ? [[suite.base + '404.html', suite.base]]
        : [
          [server.base + 'chapters/missing.html', server.base],
          [server.base + 'chapters/no/such/page.html', server.base],
          [nested.base + 'topics/missing.html', nested.base],
          [nested.base + 'missing.html', nested.base],
        ];
      for (const [url, root] of urls) {
        const page = await suite.context.newPage();
        const failed = [];
        page.on('response', (r) => { if (r.status() >= 400 && r.url() !== url) failed.push(`${r.status()} ${r.url()}`); });
        const response = await page.goto(url);
        if (mode === 'http') assert.equal(response.status(), 404, url);
        const styled = await page.evaluate(() => ({
          margin: getComputedStyle(document.body).margin,
          header: getComputedStyle(document.querySelector('.site-header')).borderBottomStyle,
        }));
        assert.deepEqual(styled, { margin: '0px', header: 'solid' }, `${url}: styled`);
        assert.deepEqual(failed, [], `${url}: every file it loads exists`);
        const hrefs = await page.$$eval('a[href]:not([href^="#"])', (as) => as.map((a) => a.href.split('#')[0]));
        assert.ok(hrefs.length > 3, url);
        for (const h of new Set(hrefs)) {
          assert.ok(h.startsWith(root), `${url}: ${h} is inside the site`);
          const rel = decodeURIComponent(h.slice(root.length).split('?')[0]);
          assert.ok(fs.existsSync(path.join(site, rel)), `${url}: link to ${rel} (${h}) resolves to a file`);
        }
        if (url.includes('chapters/missing')) await page.screenshot({ path: path.join(artifacts, '404-deep-url.png') });
        await page.close();
        // The browser reports the missing page's own 404 status; nothing else.
        const expected = `the server responded with a status of 404 (Not Found) (${url})`;
        const others = suite.seen.errors.filter((e) => !e.endsWith(expected));
        suite.seen.errors.length = 0;
        suite.seen.errors.push(...others);
      }
      assertClean();
    });

    it('the kind badge of acronyms reads "Aa Acronym", and the report date is not repeated on every page', async () => {
      if (samples.acronym) {
        const page = await suite.context.newPage();
        await page.goto(suite.base + samples.acronym);
        const badge = await page.locator('.page-header .kind-badge').evaluate((b) => ({
          before: getComputedStyle(b, '::before').content,
          transform: getComputedStyle(b, '::before').textTransform,
          name: b.textContent.trim(),
        }));
        assert.match(badge.before, /^"Aa"/, 'the symbol');
        assert.equal(badge.transform, 'none', 'the symbol is not capitalised to AA');
        assert.equal(badge.name, 'Acronym');
        await page.close();
      }
      // The home page's date is the report's: no other page repeats it.
      const home = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
      const reportDate = (home.match(/<time datetime="([^"]+)"/) || home.match(/<p class="date">([^<]+)</) || [])[1];
      const dated = [];
      for (const rel of Object.values(samples)) {
        const file = path.join(site, rel.split('?')[0]);
        const html = fs.readFileSync(file, 'utf8');
        const date = (html.match(/<p class="date">([^<]*)<\/p>/) || [])[1];
        if (date !== undefined && rel !== 'index.html') dated.push([rel, date]);
      }
      if (reportDate) {
        for (const [rel, date] of dated) assert.notEqual(date, reportDate, `${rel} repeats the report's date`);
      }
      if (isFixture) {
        // A page with a date of its own still shows it.
        const page = await suite.context.newPage();
        await page.goto(suite.base + 'sources/ilo-2022.html');
        assert.equal(await page.locator('.page-header .date').innerText(), '2022-09-12');
        await page.close();
      }
      assertClean();
    });
  });
}
