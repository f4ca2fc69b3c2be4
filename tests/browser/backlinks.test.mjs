// "Referenced by" in real Chromium: compact by default (a share of a
// chapter's height, at most one screen anywhere), its passages a disclosure
// that opens, readable at 320 px, axe-clean light and dark with everything
// open. Measured over file:// only: the layout does not depend on how the
// page was loaded. Run with `node --test` (see run.sh).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { artifacts, describeInBrowser, fileBase, siteDir } from './support.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const site = siteDir();
const isFixture = !process.env.DOSSIER_SITE || process.env.DOSSIER_FIXTURE === '1';
fs.mkdirSync(artifacts, { recursive: true });

/** The desktop width the targets are measured at, and one screen there. */
const WIDE = 1280;
const SCREEN = 900;
/** The largest share of a chapter's height the section may take. */
const CHAPTER_SHARE = 0.15;

/** Every content page of the site: each HTML file but the generated ones and the static folder. */
function contentPages(dir) {
  const out = [];
  const walk = (rel) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (fs.statSync(path.join(dir, r)).isDirectory()) {
        if (r !== 'static') walk(r);
      } else if (name.endsWith('.html') && !['404.html', 'print.html', 'search.html', 'graph.html'].includes(r)) {
        out.push(r);
      }
    }
  };
  walk('');
  return out;
}

const pages = contentPages(site);

describeInBrowser('Referenced by', { base: () => fileBase(site) }, (suite) => {
  const { it } = suite;

  async function open(rel, width = WIDE) {
    const page = await suite.context.newPage();
    await page.setViewportSize({ width, height: SCREEN });
    await page.goto(suite.base + rel);
    return page;
  }

  /** Facts about a page's backlinks section as a reader sees it. */
  const facts = () => {
    const section = document.querySelector('section.backlinks');
    const article = document.querySelector('article.page');
    const kind = (article?.className.match(/page-(\w+)/) || [])[1];
    if (!section) return { kind, none: true };
    const linkedInText = new Set([...document.querySelectorAll('.content a[href]')]
      .map((a) => a.href.split('#')[0]));
    // Entries a reader sees without opening anything: not inside a closed disclosure.
    const visible = [...section.querySelectorAll('a.backlink-source')]
      .filter((a) => !a.parentElement.closest('details:not([open])'));
    const all = [...section.querySelectorAll('a.backlink-source')].map((a) => a.href);
    return {
      kind,
      sectionHeight: section.getBoundingClientRect().height,
      pageHeight: document.documentElement.scrollHeight,
      all,
      visibleMutual: visible.filter((a) => linkedInText.has(a.href)).map((a) => a.textContent),
      passages: [...section.querySelectorAll('.backlink-places li a')].map((a) => a.textContent),
      mutualFolded: section.querySelectorAll('.backlinks-mutual a.backlink-source').length,
      openPassages: section.querySelectorAll('details.backlink-places[open] ul a').length,
    };
  };

  it('Chromium starts', async () => {
    assert.ok(suite.context, 'a browser context');
    assert.ok(pages.length > 10, `content pages found: ${pages.length}`);
  });

  /** Each page's facts, gathered once in one tab: a hundred pages or more. */
  const measured = new Map();
  async function measureAll() {
    if (measured.size) return measured;
    const page = await open(pages[0]);
    for (const rel of pages) {
      await page.goto(suite.base + rel);
      measured.set(rel, await page.evaluate(facts));
    }
    await page.close();
    return measured;
  }

  it('at 1280 px the section is at most one screen on every page and a small share of each chapter', async () => {
    const tooTall = [];
    const tooMuch = [];
    const shares = [];
    let chapters = 0;
    for (const [rel, f] of await measureAll()) {
      if (f.none) continue;
      if (f.sectionHeight > SCREEN) tooTall.push(`${rel}: ${Math.round(f.sectionHeight)} px`);
      const share = f.sectionHeight / f.pageHeight;
      // Chapters are the long pages of both sites (the fixture's are one
      // to two screens, the report's up to thirty).
      if (f.kind === 'chapter') {
        chapters += 1;
        shares.push(`${rel} ${(share * 100).toFixed(1)} %`);
        if (share > CHAPTER_SHARE) tooMuch.push(`${rel}: ${(share * 100).toFixed(1)} % of ${f.pageHeight} px`);
      }
    }
    console.log(`backlinks share of the height: ${shares.join(', ')}`);
    assert.ok(chapters > 0, 'the site has chapters with backlinks');
    assert.deepEqual(tooTall, [], `sections taller than ${SCREEN} px`);
    assert.deepEqual(tooMuch, [], `sections over ${CHAPTER_SHARE * 100} % of the page`);
  });

  it('one entry per linking page, no dangling dash or doubled punctuation, and a chapter lists no page its text links to', async () => {
    const problems = [];
    let folded = 0;
    for (const [rel, f] of await measureAll()) {
      if (f.none) continue;
      const twice = f.all.filter((h, i) => f.all.indexOf(h) !== i);
      if (twice.length) problems.push(`${rel}: listed twice: ${twice.join(', ')}`);
      for (const p of f.passages) {
        if (/^\s*[—–-]/.test(p)) problems.push(`${rel}: passage starts with a dash: ${p}`);
        if (/[?!][:;,]|\.:/.test(p)) problems.push(`${rel}: doubled punctuation: ${p}`);
      }
      if (f.kind === 'chapter') {
        for (const t of f.visibleMutual) problems.push(`${rel}: lists ${t}, which its text links to`);
        folded += f.mutualFolded;
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(folded > 0, 'the pages a chapter links to are kept, folded');
  });

  it('opening a disclosure by keyboard shows the passages, titles keep their previews; on sources and interviews passages are open', async () => {
    const rel = pages.find((r) => /^chapters\/.+/.test(r) && fs.readFileSync(path.join(site, r), 'utf8')
      .includes('<details class="backlink-places">'));
    assert.ok(rel, 'a chapter with a closed disclosure');
    const page = await open(rel);
    const places = page.locator('section.backlinks details.backlink-places').first();
    const passage = places.locator('ul a').first();
    assert.equal(await passage.isVisible(), false, 'passages are folded by default');
    await places.locator('summary').focus();
    await page.keyboard.press('Enter');
    assert.equal(await passage.isVisible(), true, 'Enter on the summary shows the passages');
    assert.ok((await passage.textContent()).trim().length > 0);
    await page.keyboard.press('Enter');
    assert.equal(await passage.isVisible(), false, 'and folds them again');
    // The linking page's title still shows its preview on hover.
    await page.locator('section.backlinks a.backlink-source').first().hover();
    await page.waitForSelector('#dossier-preview:not([hidden])', { timeout: 5000 });
    assert.ok((await page.locator('#dossier-preview').textContent()).trim().length > 0, 'a preview with text');
    await page.close();
    // Evidence: the pages citing a source or an interview show where, open.
    let open_ = 0;
    for (const [r, f] of await measureAll()) {
      if (/^(sources|interviews)\/(?!index)/.test(r) && !f.none) open_ += f.openPassages;
    }
    assert.ok(open_ > 0, 'some source or interview shows its citing passages open');
  });

  it('a term used everywhere says on how many pages, and the whole list unfolds', async () => {
    const rel = pages.find((r) => fs.readFileSync(path.join(site, r), 'utf8').includes('class="backlinks-all"'));
    if (isFixture && !rel) return; // the fixture has no page linked from that many pages
    assert.ok(rel, 'the report has a page linked from many pages');
    const page = await open(rel);
    const count = await page.locator('.backlinks-count').textContent();
    assert.match(count, /^Used on \d+ pages: /);
    const n = Number(count.match(/\d+/)[0]);
    const entries = page.locator('.backlinks-all a.backlink-source');
    assert.equal(await entries.count(), n, 'the folded list has every page the count names');
    assert.equal(await entries.first().isVisible(), false);
    await page.locator('.backlinks-all > summary').click();
    assert.equal(await entries.first().isVisible(), true);
    await page.close();
  });

  /** A chapter, the page linked from the most pages, and a source: the pages the screenshots show. */
  function showcase() {
    // Entries listed, not folded as a chapter's own links.
    const size = (r) => (fs.readFileSync(path.join(site, r), 'utf8').split('class="backlinks-mutual"')[0]
      .match(/class="backlink-source"/g) || []).length;
    const pick = (re) => pages.filter((r) => re.test(r)).sort((a, b) => size(b) - size(a))[0];
    return {
      chapter: pick(/^chapters\/(?!index)/),
      'most-linked': pages.filter((r) => !/index\.html$/.test(r)).sort((a, b) => size(b) - size(a))[0],
      source: pick(/^sources\/(?!index)/),
    };
  }

  it('fits 320 px with everything open, axe-clean light and dark; screenshots', async () => {
    const found = [];
    for (const [name, rel] of Object.entries(showcase())) {
      if (!rel) continue;
      for (const scheme of ['light', 'dark']) {
        for (const width of [320, 390, WIDE]) {
          const page = await open(rel, width);
          await page.emulateMedia({ colorScheme: scheme });
          const section = page.locator('section.backlinks');
          if (width !== 320) {
            await section.scrollIntoViewIfNeeded();
            await page.screenshot({ path: path.join(artifacts, `backlinks-${name}-${width}-${scheme}.png`) });
          }
          await page.evaluate(() => document.querySelectorAll('section.backlinks details').forEach((d) => { d.open = true; }));
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (wide > 0) found.push(`${rel} at ${width} px scrolls sideways by ${wide} px`);
          if (width === WIDE) {
            await page.addScriptTag({ path: axePath });
            const violations = await page.evaluate(async () => {
              const r = await window.axe.run('section.backlinks', {
                preload: false,
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
              });
              return r.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
            });
            for (const v of violations) found.push(`${rel} [${scheme}]: ${v}`);
          }
          await page.close();
        }
      }
    }
    assert.deepEqual(found, []);
    assert.deepEqual(suite.seen.errors, [], 'no console errors');
    assert.deepEqual(suite.seen.outside(), [], 'no request leaves the site');
  });
});
