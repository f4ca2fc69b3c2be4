// Real-browser tests of a built site in Debian's headless Chromium, opened
// straight from disk (file://) and through a loopback HTTP server.
// Run with `node --test` (see run.sh). A browser that cannot start is a
// failure, never a skip.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import {
  artifacts, describeInBrowser, fileBase, launch, luminance, pageWithNotes, samplePages, serve, siteDir, watch,
} from './support.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const site = siteDir();
const samples = samplePages(site);
// Content-specific checks (typo tolerance on known words…) run on the fixture only.
const isFixture = !process.env.DOSSIER_SITE || process.env.DOSSIER_FIXTURE === '1';
fs.mkdirSync(artifacts, { recursive: true });

let server;
before(async () => { server = await serve(site); });
after(async () => { await server?.close(); });

for (const mode of ['file', 'http']) {
  describeInBrowser(`site over ${mode}://`, {
    base: () => mode === 'file' ? fileBase(site) : server.base,
  }, (suite) => {
    const { it } = suite;
    it('Chromium starts', async () => {
      assert.ok(suite.context, 'a browser context');
    });

    /** Opens `rel` in a new tab and checks it loaded without errors or outside requests. */
    async function open(rel, opts = {}) {
      const page = await suite.context.newPage();
      if (opts.width) await page.setViewportSize({ width: opts.width, height: 900 });
      await page.goto(suite.base + rel);
      return page;
    }
    function assertClean() {
      assert.deepEqual(suite.seen.errors, [], 'no console errors or uncaught exceptions');
      assert.deepEqual(suite.seen.outside(), [], 'no request leaves the site');
    }

    it('every page has lang, one h1, a skip link and the landmarks', async () => {
      for (const [kind, rel] of Object.entries(samples)) {
        const page = await open(rel);
        const facts = await page.evaluate(() => ({
          lang: document.documentElement.lang,
          h1: document.querySelectorAll('h1').length,
          main: document.querySelectorAll('main').length,
          banner: document.querySelectorAll('body > header').length,
          nav: document.querySelectorAll('nav[aria-label]').length,
          skip: document.querySelector('a.skip-link')?.getAttribute('href'),
          search: !!document.querySelector('label[for="dossier-search"]') && document.getElementById('dossier-search')?.type,
        }));
        assert.equal(facts.lang, 'en', kind);
        assert.equal(facts.h1, 1, `${kind}: one h1`);
        assert.equal(facts.main, 1, kind);
        assert.equal(facts.banner, 1, kind);
        assert.ok(facts.nav >= 1, kind);
        assert.equal(facts.skip, '#main', kind);
        assert.equal(facts.search, 'search', `${kind}: a labelled search box`);
        await page.close();
      }
      assertClean();
    });

    it('navigation across pages by links', async () => {
      const page = await open('index.html');
      const first = page.locator('.chapter-list a').first();
      const title = (await first.textContent()).trim();
      await first.click();
      await page.waitForLoadState();
      assert.equal((await page.locator('h1').textContent()).trim(), title);
      assert.match(page.url(), /chapters\/[^/]+\.html$/);
      const next = page.locator('a[rel="next"]');
      if (await next.count()) {
        const nextTitle = (await next.textContent()).replace('Next chapter', '').trim();
        await next.click();
        await page.waitForLoadState();
        assert.equal((await page.locator('h1').textContent()).trim(), nextTitle);
      }
      await page.locator('.breadcrumbs a').first().click();
      await page.waitForLoadState();
      assert.match(page.url(), /index\.html$/);
      await page.locator('.site-nav a', { hasText: 'Map' }).click();
      await page.waitForLoadState();
      assert.match(page.url(), /graph\.html$/);
      const node = page.locator('svg.graph a.node').first();
      const nodeHref = await node.getAttribute('href');
      await node.click();
      await page.waitForLoadState();
      assert.ok(page.url().endsWith(nodeHref), `${page.url()} ends with ${nodeHref}`);
      // Every link on the map and in the nav names a file that exists.
      await page.goto(suite.base + 'graph.html');
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
      for (const h of hrefs) {
        assert.ok(!h.startsWith('/'), `relative: ${h}`);
        const file = h.split('#')[0].split('?')[0];
        if (file && !/^[a-z]+:/.test(file)) assert.ok(fs.existsSync(path.join(site, decodeURI(file))), `exists: ${h}`);
      }
      await page.close();
      assertClean();
    });

    it('search finds pages, tolerates prefixes and typos, and opens a result', async () => {
      const page = await open('index.html');
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'dossier-search', '/ focuses the box');
      const query = isFixture ? 'traffick' : (await page.evaluate(() => document.querySelector('h1').textContent.split(/\s+/).find((w) => w.length >= 6) || 'report')).slice(0, 6);
      await page.keyboard.type(query);
      const options = page.locator('#dossier-search-results [role="option"]:not(.all-results)');
      await options.first().waitFor();
      assert.ok(await options.count() >= 1);
      assert.ok(await page.locator('#dossier-search-results mark').count() >= 1, 'matches highlighted');
      assert.ok(await page.locator('#dossier-search-results .kind-badge').count() >= 1, 'kind shown');
      if (isFixture) {
        assert.match(await options.first().locator('.result-title').textContent(), /Trafficking/);
      }
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.getAttribute('#dossier-search', 'aria-activedescendant'), 'dossier-result-0');
      const expected = await options.first().getAttribute('data-href');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.ok(page.url().endsWith(expected.replace(/^(\.\.\/)+/, '')), `${page.url()} is ${expected}`);
      // Enter with no result chosen submits the form: the full results page.
      await page.goto(suite.base + 'index.html');
      await page.locator('#dossier-search').fill(query);
      await Promise.all([page.waitForURL(/search\.html\?q=/), page.locator('#dossier-search').press('Enter')]);
      await page.locator('.search-list li').first().waitFor();
      if (isFixture) {
        // Typo tolerance, and the full results page.
        await page.goto(suite.base + 'search.html?q=trafficing');
        await page.locator('.search-list li').first().waitFor();
        assert.match(await page.locator('.search-list li').first().textContent(), /Trafficking/);
        assert.ok(await page.locator('.search-list mark').count() >= 1);
        // Acronym expansions are searchable.
        await page.goto(suite.base + 'search.html?q=referral%20mechanism');
        await page.locator('.search-list li').first().waitFor();
        assert.match(await page.locator('.search-list').textContent(), /NRM/);
      }
      await page.close();
      assertClean();
    });

    it('previews: footnote, acronym and internal link, by hover and by keyboard; Escape closes', async () => {
      const rel = pageWithNotes(site);
      assert.ok(rel, 'a chapter with notes');
      const page = await open(rel);
      const tip = page.locator('#dossier-preview');
      const ref = page.locator('.footnote-ref a').first();
      const noteId = (await ref.getAttribute('href')).slice(1);
      const noteText = (await page.locator(`[id="${noteId}"]`).textContent()).replace('↩', '').trim().slice(0, 30);
      await ref.hover();
      await tip.waitFor({ state: 'visible' });
      assert.ok((await tip.textContent()).includes(noteText), 'the note is shown in place');
      // The preview names the note by the number its page shows (the
      // report's own number on an imported chapter), not by its position.
      const value = await page.locator(`[id="${noteId}"]`).getAttribute('value');
      assert.equal(await tip.locator('.preview-head').textContent(), `Note ${value}`);
      assert.equal(await ref.textContent(), value, 'the reference shows the same number');
      assert.equal(await ref.getAttribute('aria-describedby'), 'dossier-preview');
      await page.keyboard.press('Escape');
      await tip.waitFor({ state: 'hidden' });
      await page.mouse.move(0, 0);
      // Keyboard: focus shows it too.
      await ref.focus();
      await tip.waitFor({ state: 'visible' });
      await page.keyboard.press('Escape');
      await tip.waitFor({ state: 'hidden' });
      const acronym = page.locator('main a.acronym').first();
      if (await acronym.count()) {
        const expansion = await acronym.locator('abbr').getAttribute('title');
        await acronym.hover();
        await tip.waitFor({ state: 'visible' });
        assert.ok((await tip.textContent()).includes(expansion), 'acronym expansion shown');
        // The glossary's summary follows once the index has loaded.
        if (isFixture) await tip.locator('p').nth(1).waitFor();
        await page.mouse.move(0, 0);
        await tip.waitFor({ state: 'hidden' });
        assert.equal(await acronym.locator('abbr').getAttribute('title'), expansion, 'title restored as the no-JS baseline');
      }
      const link = page.locator('main .content a[href$=".html"]:not(.acronym)').first();
      await link.focus();
      await tip.waitFor({ state: 'visible' });
      assert.ok((await tip.locator('.preview-title').textContent()).length > 0, 'link preview shows the target title');
      await page.keyboard.press('Escape');
      await tip.waitFor({ state: 'hidden' });
      await page.close();
      assertClean();
    });

    it('touch: tapping a note reference shows the preview instead of jumping', async () => {
      const rel = pageWithNotes(site);
      // A phone: touch events, no hover.
      const phone = await launch({ viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true });
      const phoneSeen = watch(phone, suite.base);
      try {
        const page = await phone.newPage();
        await page.goto(suite.base + rel);
        const ref = page.locator('.footnote-ref a').first();
        await ref.tap();
        await page.locator('#dossier-preview').waitFor({ state: 'visible' });
        assert.ok(!page.url().includes('#fn-'), 'stayed in place');
        // A second tap follows the link to the note.
        await ref.tap();
        await page.waitForURL(/#fn-/);
        const abbr = page.locator('main a.acronym').first();
        if (await abbr.count()) {
          await abbr.tap();
          await page.locator('#dossier-preview.preview-acronym').waitFor({ state: 'visible' });
        }
        assert.deepEqual(phoneSeen.errors, []);
        assert.deepEqual(phoneSeen.outside(), []);
      } finally {
        await phone.close();
      }
    });

    it('without JavaScript: reading, navigating, notes and acronyms still work', async () => {
      const nojs = await launch({ javaScriptEnabled: false });
      try {
        const page = await nojs.newPage();
        await page.goto(suite.base + 'index.html');
        await page.locator('.chapter-list a').first().click();
        await page.waitForLoadState();
        assert.match(page.url(), /chapters\/[^/]+\.html$/);
        assert.ok(await page.locator('main .content p').count() > 0, 'the text is there');
        assert.ok(await page.locator('.theme-toggle').isHidden(), 'no dead toggle');
        const rel = pageWithNotes(site);
        await page.goto(suite.base + rel);
        const ref = page.locator('.footnote-ref a').first();
        await ref.click();
        assert.match(page.url(), /#fn-/, 'a note reference jumps to its note');
        const abbr = page.locator('main abbr[title]').first();
        if (await abbr.count()) assert.ok((await abbr.getAttribute('title')).length > 0, 'abbr title baseline');
        await page.goto(suite.base + 'search.html?q=x');
        assert.ok(await page.locator('.search-nojs').isVisible(), 'search page explains and offers other ways');
        await page.goto(suite.base + 'graph.html');
        assert.ok(await page.locator('svg.graph a.node').count() > 0, 'the map is there');
        await page.goto(suite.base + 'print.html');
        assert.ok(await page.locator('.print-page').count() > 0, 'the print page is there');
      } finally {
        await nojs.close();
      }
    });

    it('dark mode follows the system and the toggle remembers', async () => {
      const page = await open('index.html');
      const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.emulateMedia({ colorScheme: 'light' });
      assert.ok(luminance(await bg()) > 0.8, 'light by default');
      await page.emulateMedia({ colorScheme: 'dark' });
      assert.ok(luminance(await bg()) < 0.05, 'dark when the system is dark');
      const toggle = page.locator('.theme-toggle');
      assert.match(await toggle.getAttribute('title'), /^Switch to light theme/, 'named by what a press does');
      await toggle.click();
      assert.ok(luminance(await bg()) > 0.8, 'toggle to light');
      await page.reload();
      assert.ok(luminance(await bg()) > 0.8, 'remembered after reload');
      await page.locator('.theme-toggle').click();
      assert.ok(luminance(await bg()) < 0.05, 'and back to dark');
      await page.evaluate(() => localStorage.removeItem('dossier-theme'));
      await page.close();
      assertClean();
    });

    it('map: labels fit their boxes and never overlap, on the map and a neighbourhood', async () => {
      const pages = ['graph.html', samples.topic, samples.recommendation].filter(Boolean);
      for (const rel of pages) {
        const page = await open(rel);
        const problems = await page.evaluate(() => {
          const out = [];
          const boxes = [];
          for (const node of document.querySelectorAll('svg.graph .node')) {
            const r = node.querySelector('rect').getBoundingClientRect();
            const t = node.querySelector('text').getBoundingClientRect();
            if (t.right > r.right + 0.5 || t.left < r.left - 0.5) out.push(`label overflows: ${node.textContent}`);
            boxes.push([t, node.textContent]);
            if (node.tagName === 'a' && !node.querySelector('title')) out.push('node without <title>');
          }
          for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
              const [a, na] = boxes[i]; const [b, nb] = boxes[j];
              if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push(`overlap: ${na} / ${nb}`);
            }
          }
          if (!boxes.length) out.push('no nodes');
          return out;
        });
        assert.deepEqual(problems, [], rel);
        await page.close();
      }
      assertClean();
    });

    it('print: one page in reading order, links inside it, no chrome', async () => {
      const page = await open('print.html');
      const { problems, files } = await page.evaluate(() => {
        const out = [];
        const files = [];
        const ids = new Set();
        for (const el of document.querySelectorAll('[id]')) {
          if (ids.has(el.id)) out.push(`duplicate id ${el.id}`);
          ids.add(el.id);
        }
        for (const a of document.querySelectorAll('main a[href]')) {
          const h = a.getAttribute('href');
          if (/^[a-z]+:/.test(h)) continue;
          if (!h.startsWith('#')) files.push(h);
          else if (!document.getElementById(decodeURIComponent(h.slice(1)))) out.push(`no target: ${h}`);
        }
        return { problems: out, files };
      });
      assert.deepEqual(problems, []);
      // Pages left out of the printout (topics) are linked as the files they are.
      assert.ok(files.length > 0, 'the printout links some left-out page as a file');
      for (const h of new Set(files)) {
        assert.ok(!h.startsWith('chapters/'), `a chapter is printed, yet linked as a file: ${h}`);
        assert.ok(fs.existsSync(path.join(site, decodeURIComponent(h.split('#')[0]))), `leaves the page for a missing file: ${h}`);
      }
      const order = await page.$$eval('.print-page h2, .print-part > h2', (hs) => hs.map((h) => h.textContent));
      assert.ok(order.length > 1);
      await page.emulateMedia({ media: 'print' });
      for (const sel of ['.site-header', '.site-footer', '.breadcrumbs']) {
        assert.equal(await page.locator(sel).evaluate((e) => getComputedStyle(e).display), 'none', `${sel} hidden in print`);
      }
      assert.ok(await page.locator('.footnotes').first().isVisible(), 'notes kept in print');
      const after = await page.evaluate(() => {
        const a = document.querySelector('main a[href^="http"]');
        return a ? getComputedStyle(a, '::after').content : null;
      });
      if (after !== null) assert.match(after, /http/, 'external URLs printed');
      if (mode === 'file') await page.pdf({ path: path.join(artifacts, 'print.pdf') });
      await page.close();
      assertClean();
    });

    it('fits 320 px (WCAG reflow) to wide screens without sideways scrolling; screenshots', async () => {
      for (const width of [320, 360, 390, 1280]) {
        for (const [kind, rel] of Object.entries(samples)) {
          const page = await open(rel, { width });
          const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(over <= 0, `${kind} at ${width}px scrolls sideways by ${over}px`);
          if ((width === 390 || width === 1280) && mode === 'file') {
            const name = kind.replace(/ /g, '-');
            await page.screenshot({ path: path.join(artifacts, `${name}-${width}.png`), fullPage: true });
            // The dark theme too; print.html (tens of thousands of pixels at
            // 390) is kept to its first screen there.
            await page.emulateMedia({ colorScheme: 'dark' });
            await page.screenshot({ path: path.join(artifacts, `${name}-${width}-dark.png`), fullPage: !rel.startsWith('print') });
          }
          await page.close();
        }
      }
      assertClean();
    });

    it('a reading measure of about 70 characters', async () => {
      const page = await open(samples.chapter);
      const chars = await page.evaluate(() => {
        const p = document.querySelector('main .content p');
        const probe = document.createElement('span');
        // Ordinary English prose, spaces included, as typographers count a measure.
        probe.style.cssText = 'position:absolute;white-space:nowrap;visibility:hidden';
        probe.textContent = 'The review team spent eighteen months reading case files and interviewing front-line workers across three regions. ';
        p.appendChild(probe);
        const perChar = probe.getBoundingClientRect().width / probe.textContent.length;
        probe.remove();
        return p.getBoundingClientRect().width / perChar;
      });
      assert.ok(chars >= 60 && chars <= 80, `measure is ${chars.toFixed(0)} characters`);
      await page.close();
    });

    if (mode === 'file') {
      it('axe-core: no serious or critical violation on every kind of page, light and dark', async () => {
        const found = [];
        for (const scheme of ['light', 'dark']) {
          for (const [kind, rel] of Object.entries(samples)) {
            const page = await open(rel);
            await page.emulateMedia({ colorScheme: scheme });
            await page.addScriptTag({ path: axePath });
            const violations = await page.evaluate(async () => {
              const r = await window.axe.run(document, {
                // No re-fetching of stylesheets: XHR is refused under file://.
                preload: false,
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
              });
              return r.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
            });
            for (const v of violations) found.push(`${kind} [${scheme}] ${rel}: ${v}`);
            await page.close();
          }
        }
        assert.deepEqual(found, []);
      });
    }

    it('the whole visit stayed on this machine', async () => {
      assert.ok(suite.seen.requests.length > 0, 'requests were recorded');
      const schemes = new Set(suite.seen.requests.map((u) => new URL(u).protocol));
      if (mode === 'file') assert.deepEqual([...schemes].filter((s) => s !== 'file:' && s !== 'data:'), []);
      assertClean();
    });
  });
}
