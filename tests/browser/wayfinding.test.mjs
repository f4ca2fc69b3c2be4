// Wayfinding in real Chromium: the sidebar and "On this page" stay in view
// on a long page and mark where the reader is; on a phone the header is
// slim, the text starts on the first screen and the menu opens with or
// without JavaScript; targets are big enough to tap; topics link to the
// topic before and after. Run with `node --test` (see run.sh).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  artifacts, describeInBrowser, fileBase, launch, pageWithNotes, samplePages, serve, siteDir,
} from './support.mjs';

const site = siteDir();
const samples = samplePages(site);
const shots = path.join(artifacts, 'wayfinding');
fs.mkdirSync(shots, { recursive: true });

/** The longest page of the site that has an "On this page" list, chapters first. */
function longestWithToc() {
  const found = [];
  for (const dir of ['chapters', 'topics', '']) {
    const d = path.join(site, dir);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) {
      if (!f.endsWith('.html') || f === 'index.html') continue;
      const rel = dir ? `${dir}/${f}` : f;
      const html = fs.readFileSync(path.join(site, rel), 'utf8');
      if (html.includes('class="toc"')) found.push([html.length, rel]);
    }
    if (found.length) break;
  }
  found.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1));
  return found[0]?.[1];
}

/** A topic page with a next or previous topic. */
function topicInSequence() {
  const d = path.join(site, 'topics');
  if (!fs.existsSync(d)) return null;
  const f = fs.readdirSync(d).filter((n) => n.endsWith('.html') && n !== 'index.html').sort()
    .find((n) => fs.readFileSync(path.join(d, n), 'utf8').includes('rel="next"'));
  return f ? `topics/${f}` : null;
}

/** Links and buttons a reader taps to find their way, with their size, on what is visible. */
async function smallTargets(page) {
  return page.$$eval(
    '.site-header a, .site-header button, .site-header summary, .site-header input, .sidebar a, '
      + '.breadcrumbs a, .toc a, .prev-next a, .footnote-ref a, .menu-panel a',
    (els) => els.flatMap((el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (!r.width || !r.height || style.visibility === 'hidden') return [];
      if (r.width >= 24 && r.height >= 24) return [];
      return [`${el.className || el.tagName.toLowerCase()} “${el.textContent.trim().slice(0, 30)}” ${Math.round(r.width)}×${Math.round(r.height)}`];
    }),
  );
}

let server;
before(async () => { server = await serve(site); });
after(async () => { await server?.close(); });

for (const mode of ['file', 'http']) {
  describeInBrowser(`wayfinding over ${mode}://`, {
    base: () => mode === 'file' ? fileBase(site) : server.base,
  }, (suite) => {
    const { it } = suite;
    async function open(rel, width = 1280, height = 900) {
      const page = await suite.context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(suite.base + rel);
      return page;
    }
    function assertClean() {
      assert.deepEqual(suite.seen.errors, [], 'no console errors or uncaught exceptions');
      assert.deepEqual(suite.seen.outside(), [], 'no request leaves the site');
    }

    it('at 1280 px the sidebar and "On this page" stay in view 5,000 px down a long page, and mark the section', async () => {
      const rel = longestWithToc();
      assert.ok(rel, 'a page with an "On this page" list');
      const page = await open(rel);
      const inView = async (sel) => page.$eval(sel, (el) => {
        const r = el.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.top < innerHeight && r.bottom > 0;
      });
      assert.ok(await inView('.sidebar'), 'sidebar shown');
      await page.mouse.wheel(0, 5000);
      await page.waitForFunction(() => scrollY > 0);
      const scrolled = await page.evaluate(() => scrollY);
      const room = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
      assert.ok(scrolled >= Math.min(5000, room) - 2, `scrolled ${scrolled} of ${Math.min(5000, room)}`);
      for (const sel of ['.sidebar', '.toc', '.site-header']) assert.ok(await inView(sel), `${sel} in view after scrolling`);
      assert.equal(await page.locator('.sidebar a[aria-current="page"]').count(), 1, 'the current page marked in the sidebar');
      // Scrolled on to just past a section's heading, that section is marked.
      const links = page.locator('.toc li > a');
      const target = Math.floor((await links.count()) / 2);
      const id = decodeURIComponent((await links.nth(target).getAttribute('href')).slice(1));
      const top = await page.evaluate((i) => document.getElementById(i).getBoundingClientRect().top, id);
      await page.mouse.wheel(0, top - 150);
      await page.waitForFunction((i) => {
        const a = document.querySelector('.toc a[aria-current]');
        return a && decodeURIComponent(a.hash.slice(1)) === i;
      }, id, { timeout: 5000 });
      assert.equal(await page.locator('.toc a[aria-current]').count(), 1, 'one section marked');
      for (const sel of ['.sidebar', '.toc']) assert.ok(await inView(sel), `${sel} still in view`);
      await page.screenshot({ path: path.join(shots, `${mode}-long-1280-scrolled.png`) });
      await page.close();
      assertClean();
    });

    it('at 390 × 844 the header and breadcrumb take at most 120 px, and the heading and text start on the first screen', async () => {
      for (const [kind, rel] of Object.entries(samples)) {
        const page = await open(rel, 390, 844);
        const m = await page.evaluate(() => {
          const crumbs = document.querySelector('.breadcrumbs');
          const chrome = (crumbs || document.querySelector('.site-header')).getBoundingClientRect().bottom;
          const h1 = document.querySelector('main h1').getBoundingClientRect();
          const text = [...document.querySelectorAll('main p, main li, main dd')].find((el) => {
            if (el.closest('.page-header, .toc, .prev-next') || el.textContent.trim().length < 20) return false;
            return el.getBoundingClientRect().height > 0;
          });
          return { chrome, h1: h1.bottom, text: text ? text.getBoundingClientRect().top : null };
        });
        assert.ok(m.chrome <= 120, `${kind}: header and breadcrumb ${m.chrome} px`);
        assert.ok(m.h1 <= 844, `${kind}: heading ends at ${m.h1} px`);
        if (m.text !== null) assert.ok(m.text <= 844 - 50, `${kind}: text starts at ${m.text} px`);
        await page.close();
      }
      assertClean();
    });

    it('no sideways scroll at 360 px', async () => {
      for (const [kind, rel] of Object.entries(samples)) {
        const page = await open(rel, 360, 740);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= 360, `${kind}: ${wide} px wide`);
        await page.close();
      }
      assertClean();
    });

    it('every link and button of the header, menu, sidebar, contents and notes is at least 24 × 24 px', async () => {
      const rels = [...new Set([...Object.values(samples), pageWithNotes(site)].filter(Boolean))];
      for (const width of [1280, 390]) {
        for (const rel of rels) {
          const page = await open(rel, width, 844);
          if (width < 1100) await page.locator('.menu > summary').click();
          assert.deepEqual(await smallTargets(page), [], `${rel} at ${width}`);
          await page.close();
        }
      }
      assertClean();
    });

    it('the menu opens and leads on, with JavaScript and without', async () => {
      const rel = samples.chapter || samples.topic;
      const nojs = await launch({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
      try {
        for (const ctx of [nojs, suite.context]) {
          const page = await ctx.newPage();
          await page.setViewportSize({ width: 390, height: 844 });
          await page.goto(suite.base + rel);
          const panel = page.locator('.menu-panel');
          assert.ok(await panel.isHidden(), 'closed at first');
          await page.locator('.menu > summary').click();
          assert.ok(await panel.isVisible(), 'open after a tap');
          assert.ok(await page.locator('#dossier-search').isVisible(), 'search in the header');
          const link = panel.locator('.menu-kinds a').first();
          const href = await link.getAttribute('href');
          await link.click();
          await page.waitForLoadState();
          assert.ok(decodeURI(page.url()).endsWith(href.replace(/^(\.\.\/)+/, '')), `${page.url()} is ${href}`);
          await page.close();
        }
      } finally {
        await nojs.close();
      }
      // With JavaScript, Escape closes it and gives the focus back.
      const page = await open(rel, 390, 844);
      await page.locator('.menu > summary').click();
      await page.keyboard.press('Escape');
      assert.ok(await page.locator('.menu-panel').isHidden(), 'Escape closes the menu');
      assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY');
      await page.close();
      assertClean();
    });

    it('a topic links to the topic before or after it, in the order of the topics index', async () => {
      const rel = topicInSequence();
      assert.ok(rel, 'a topic with a next topic');
      const page = await open(rel);
      const next = page.locator('.prev-next a[rel="next"]');
      assert.match(await next.textContent(), /Next topic/);
      const index = await (await open('topics/index.html')).evaluate(
        () => [...document.querySelectorAll('main .item-list > li > a')].map((a) => a.getAttribute('href')),
      );
      const here = path.basename(rel);
      const nextHref = await next.getAttribute('href');
      assert.equal(index[index.indexOf(here) + 1], nextHref, 'next is the following entry of the index');
      await next.click();
      await page.waitForLoadState();
      assert.ok(page.url().endsWith(`topics/${nextHref}`));
      assert.equal(await page.locator('.prev-next a[rel="prev"]').getAttribute('href'), here);
      await page.close();
      assertClean();
    });

    if (mode === 'file') {
      it('screenshots at 1280 and 390 px, light and dark (kept as artefacts)', async () => {
        const pick = { home: samples.home, chapter: longestWithToc(), topic: samples.topic, acronym: samples.acronym };
        for (const [name, rel] of Object.entries(pick)) {
          if (!rel) continue;
          for (const scheme of ['light', 'dark']) {
            for (const width of [1280, 390]) {
              const page = await open(rel, width, width > 500 ? 900 : 844);
              await page.emulateMedia({ colorScheme: scheme });
              await page.screenshot({ path: path.join(shots, `${name}-${width}-${scheme}.png`) });
              if (name === 'chapter') {
                await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 3));
                await page.waitForTimeout(100);
                await page.screenshot({ path: path.join(shots, `${name}-${width}-${scheme}-mid.png`) });
              }
              await page.close();
            }
          }
        }
        assertClean();
      });
    }
  });
}
