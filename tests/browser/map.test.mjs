// The map (graph.html) and the "On the map" neighbourhood of topic and
// recommendation pages, in real Chromium over file:// and loopback HTTP:
// whole labels, links lit on hover and keyboard focus, a list form instead
// of sideways scrolling on narrow screens, axe clean in light and dark.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { artifacts, describeInBrowser, fileBase, samplePages, serve, siteDir } from './support.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const site = siteDir();
const samples = samplePages(site);
const shots = path.join(artifacts, 'map');
fs.mkdirSync(shots, { recursive: true });

/** Pages with a map: the whole one, and a topic and a recommendation with a neighbourhood. */
function mapPages() {
  const withMap = (sub) => {
    const d = path.join(site, sub);
    if (!fs.existsSync(d)) return null;
    const f = fs.readdirSync(d).sort()
      .find((n) => n !== 'index.html' && n.endsWith('.html') && fs.readFileSync(path.join(d, n), 'utf8').includes('class="neighbourhood"'));
    return f ? `${sub}/${f}` : null;
  };
  return ['graph.html', withMap('topics'), withMap('recommendations')].filter(Boolean);
}
const pages = mapPages();

let server;
before(async () => { server = await serve(site); });
after(async () => { await server?.close(); });

for (const mode of ['file', 'http']) {
  describeInBrowser(`map over ${mode}://`, {
    base: () => mode === 'file' ? fileBase(site) : server.base,
  }, (suite) => {
    const { it } = suite;
    async function open(rel, width = 1280) {
      const page = await suite.context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(suite.base + rel);
      return page;
    }
    function assertClean() {
      assert.deepEqual(suite.seen.errors, [], 'no console errors or uncaught exceptions');
      assert.deepEqual(suite.seen.outside(), [], 'no request leaves the site');
    }

    it('there is a map and a neighbourhood to test', async () => {
      assert.ok(pages.length >= 2, `map pages: ${pages}`);
    });

    it('every label is the whole title of the page it names', async () => {
      const titles = new Map();
      const titleOf = async (url) => {
        if (!titles.has(url)) {
          const p = await suite.context.newPage();
          await p.goto(url);
          titles.set(url, (await p.locator('h1').textContent()).replace(/\s+/g, ' ').trim());
          await p.close();
        }
        return titles.get(url);
      };
      for (const rel of pages) {
        const page = await open(rel);
        const nodes = await page.$$eval('svg.graph .node', (ns) => ns.map((n) => ({
          url: n.getAttribute('href') ? new URL(n.getAttribute('href'), location.href).href : location.href,
          lines: [...n.querySelectorAll('tspan')].map((t) => t.textContent),
        })));
        assert.ok(nodes.length > 1, `${rel}: nodes`);
        for (const n of nodes) {
          const label = n.lines.join(' ');
          assert.ok(!label.includes('…'), `${rel}: cut label ${label}`);
          for (const line of n.lines) assert.equal(line, line.trim(), `${rel}: a line starts or ends with a space`);
          // A chapter's heading may carry its number ("1. Introduction").
          const title = await titleOf(n.url);
          const number = (title.match(/^\d+\. /) || [''])[0];
          assert.ok(title === label || title === number + label,
            `${rel}: the label of ${n.url} is "${label}", its title "${title}"`);
        }
        await page.close();
      }
      assertClean();
    });

    it('hovering or focusing a node marks its links and neighbours, and only those', async () => {
      const page = await open('graph.html');
      // What the lists below the drawing say each page is linked with.
      const listed = await page.$$eval('.connections-list li', (lis) => Object.fromEntries(lis.map((li) => {
        const [self, ...near] = [...li.querySelectorAll('a')].map((a) => a.getAttribute('href'));
        return [self, near.sort()];
      })));
      const state = () => page.evaluate(() => {
        const svg = document.querySelector('svg.graph');
        return {
          lighting: svg.classList.contains('lighting'),
          self: [...svg.querySelectorAll('.node.lit-self')].map((n) => n.getAttribute('href')),
          near: [...svg.querySelectorAll('.node.lit')].map((n) => n.getAttribute('href')).sort(),
          lines: svg.querySelectorAll('.edges path.lit').length,
          litStroke: svg.querySelector('.edges path.lit') && getComputedStyle(svg.querySelector('.edges path.lit')).stroke,
          otherStroke: svg.querySelector('.edges path:not(.lit)') && getComputedStyle(svg.querySelector('.edges path:not(.lit)')).strokeOpacity,
        };
      });
      const hrefs = await page.$$eval('svg.graph a.node', (ns) => ns.map((n) => n.getAttribute('href')));
      // The best-linked node, and one with few links.
      const byLinks = [...hrefs].sort((a, b) => listed[b].length - listed[a].length || a.localeCompare(b));
      for (const href of [byLinks[0], byLinks[byLinks.length - 1]]) {
        await page.hover(`svg.graph a.node[href="${href}"]`);
        const s = await state();
        assert.ok(s.lighting, `${href}: the map is in its lit state`);
        assert.deepEqual(s.self, [href]);
        assert.deepEqual(s.near, listed[href], `${href}: the lit neighbours are the ones the list names`);
        assert.equal(s.lines, listed[href].length, `${href}: one lit line per neighbour`);
        if (s.lines) assert.notEqual(s.litStroke, 'none');
      }
      await page.mouse.move(5, 5);
      assert.deepEqual((await state()).self, [], 'leaving the map clears it');
      // Keyboard: tab from the element before the drawing into it, then on.
      await page.evaluate(() => {
        const first = document.querySelector('svg.graph a.node');
        const before = document.createElement('a');
        before.href = '#'; before.id = 'before-map'; before.textContent = 'x';
        first.closest('.graph-wrap').before(before);
        before.focus();
      });
      await page.keyboard.press('Tab');
      let s = await state();
      const focused = await page.evaluate(() => document.activeElement.getAttribute('href'));
      assert.ok(hrefs.includes(focused), `Tab reaches a node (${focused})`);
      assert.deepEqual(s.self, [focused], 'the focused node is lit');
      assert.deepEqual(s.near, listed[focused]);
      await page.keyboard.press('Tab');
      s = await state();
      const next = await page.evaluate(() => document.activeElement.getAttribute('href'));
      assert.deepEqual(s.self, [next], 'the lit node follows the focus');
      assert.deepEqual(s.near, listed[next]);
      await page.close();

      // A neighbourhood: a neighbour lights its one line to this page.
      const hood = pages.find((p) => p !== 'graph.html');
      const p2 = await open(hood);
      await p2.hover('.neighbourhood svg.graph a.node >> nth=0');
      const lit = await p2.evaluate(() => ({
        lines: document.querySelectorAll('.neighbourhood .edges path.lit').length,
        current: document.querySelector('.neighbourhood .node.current').classList.contains('lit'),
      }));
      assert.deepEqual(lit, { lines: 1, current: true });
      await p2.close();
      assertClean();
    });

    it('no sideways scroll at 360 px: the map and neighbourhoods become lists', async () => {
      for (const rel of pages) {
        for (const width of [360, 1280]) {
          const page = await open(rel, width);
          const f = await page.evaluate(() => {
            const svg = document.querySelector('.graph-wrap svg.graph');
            const lists = document.querySelector('.connections-list, .map-lists');
            const wrap = document.querySelector('.graph-wrap');
            return {
              over: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              wrapOver: wrap.scrollWidth - wrap.clientWidth,
              drawing: getComputedStyle(svg).display !== 'none',
              drawingFits: svg.getBoundingClientRect().right <= document.documentElement.clientWidth,
              lists: !!lists && lists.getBoundingClientRect().height > 0,
              nodes: [...svg.querySelectorAll('a.node')].map((a) => a.getAttribute('href')).sort(),
              listed: [...document.querySelectorAll('.map-lists a')].map((a) => a.getAttribute('href')).sort(),
            };
          });
          assert.ok(f.over <= 0, `${rel} at ${width}px scrolls sideways by ${f.over}px`);
          assert.ok(f.wrapOver <= 0, `${rel} at ${width}px: the map is a box to scroll sideways`);
          assert.equal(f.drawing, width > 800, `${rel} at ${width}px: drawing shown`);
          if (f.drawing) assert.ok(f.drawingFits, `${rel} at ${width}px: the drawing fits`);
          if (!f.drawing) assert.ok(f.lists, `${rel} at ${width}px: lists instead`);
          if (rel !== 'graph.html') assert.deepEqual(f.listed, f.nodes, `${rel}: the lists name what the drawing does`);
          await page.close();
        }
      }
      assertClean();
    });

    if (mode === 'file') {
      it('axe: no serious or critical violation, at rest and lit, light and dark; screenshots', async () => {
        const found = [];
        for (const scheme of ['light', 'dark']) {
          for (const rel of pages) {
            for (const width of [1280, 390]) {
              const page = await open(rel, width);
              await page.emulateMedia({ colorScheme: scheme });
              const name = `${rel.replace(/[/.]/g, '-')}-${width}-${scheme}.png`;
              const target = rel === 'graph.html' ? page : page.locator('.neighbourhood');
              await target.screenshot({ path: path.join(shots, name), fullPage: rel === 'graph.html' });
              await page.addScriptTag({ path: axePath });
              const node = page.locator('svg.graph a.node').first();
              for (const lit of width > 800 ? [false, true] : [false]) {
                if (lit) await node.hover();
                const violations = await page.evaluate(async () => {
                  const r = await window.axe.run(document, {
                    preload: false,
                    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
                  });
                  return r.violations
                    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
                });
                for (const v of violations) found.push(`${rel} ${width}px [${scheme}${lit ? ', lit' : ''}]: ${v}`);
              }
              await page.close();
            }
          }
        }
        assert.deepEqual(found, []);
        assertClean();
      });
    }
  });
}
