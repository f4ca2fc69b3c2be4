// Search in real Chromium, from disk (file://) and over loopback HTTP: a
// result leads to its section with the query's words marked (and a way to
// clear them), realistic queries rank the obviously right page first, a
// nearer misspelling ranks above a farther one, and snippets are the pages'
// prose, not their lists of links. Screenshots of the dropdown, the results
// page and a landed passage go to the artefacts folder.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { artifacts, describeInBrowser, fileBase, serve, siteDir } from './support.mjs';

const site = siteDir();
const isFixture = !process.env.DOSSIER_SITE || process.env.DOSSIER_FIXTURE === '1';
fs.mkdirSync(artifacts, { recursive: true });

// A query whose best result is a section of a page, not its top: the
// section's heading names exactly what was asked for.
const sectionQuery = isFixture
  ? { q: 'labour inspection', page: 'chapters/03-responses.html', id: 'labour-inspection' }
  : {
    q: 'better understanding civil environment',
    page: 'chapters/04-why-invest-now.html',
    id: 'better-understanding-of-the-civil-environment-risks-to-civilians-and-civilian-agency',
  };

// What a reader of the report means by each query, read off the content:
// the page on exactly that subject comes first.
const realistic = [
  // A misspelling of a topic's one-word title: the Resilience topic.
  { q: 'resilence', first: 'topics/resilience.html' },
  // The name of a kind of page: the index listing every recommendation.
  { q: 'recommendations', first: 'recommendations/index.html' },
  // The one page with the phrase in its title (a recommendation on
  // expertise inside the chain of command); others only mention it.
  { q: 'chain of command', first: 'recommendations/use-international-military-education.html' },
  // The topic titled "Civilian self-protection", above the recommendation
  // and the source that also use the words.
  { q: 'civilian self protection', first: 'topics/civilian-self-protection.html' },
  // The report writes NATO's Article 5 as "Article V": the topic
  // "Collective defence and Article V".
  { q: 'article 5', first: 'topics/collective-defence-and-article-v.html' },
];

let server;
before(async () => { server = await serve(site); });
after(async () => { await server?.close(); });

for (const mode of ['file', 'http']) {
  describeInBrowser(`search over ${mode}://`, {
    base: () => mode === 'file' ? fileBase(site) : server.base,
  }, (suite) => {
    const { it } = suite;
    function assertClean() {
      assert.deepEqual(suite.seen.errors, [], 'no console errors or uncaught exceptions');
      assert.deepEqual(suite.seen.outside(), [], 'no request leaves the site');
    }
    /** The first `limit` results for q, as the search box ranks them. */
    async function results(page, q, limit = 8) {
      return page.evaluate(([q, limit]) => new Promise((done) => window.dossierSearch(q, limit, (found) => done(found.results.map((r) => ({
        url: r.page.url, title: r.page.title, id: r.section.id, snippet: r.section.text,
      }))))), [q, limit]);
    }

    it('a result opens its section, scrolled there, with the words marked until cleared', async () => {
      const page = await suite.context.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(suite.base + 'index.html');
      await page.locator('#dossier-search').fill(sectionQuery.q);
      const first = page.locator('#dossier-search-results [role="option"]').first();
      await first.waitFor();
      const href = await first.getAttribute('data-href');
      assert.ok(href.includes(sectionQuery.page) && href.endsWith('#' + sectionQuery.id), `the first result is the section: ${href}`);
      await page.keyboard.press('ArrowDown');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.ok(page.url().endsWith('#' + sectionQuery.id), page.url());
      await page.waitForLoadState('load');
      const heading = page.locator(`[id="${sectionQuery.id}"]`);
      const box = await heading.boundingBox();
      assert.ok(box && box.y >= -1 && box.y < 800, `the section's heading is on screen (top at ${box?.y})`);
      const hits = page.locator('main mark.search-hit');
      assert.ok(await hits.count() >= 1, 'the words are marked');
      const words = sectionQuery.q.split(' ');
      for (const w of words) {
        assert.ok(await heading.locator('mark.search-hit', { hasText: new RegExp(w, 'i') }).count() >= 1, `"${w}" is marked in the heading`);
      }
      const bar = page.locator('.search-hit-bar');
      assert.ok(await bar.isVisible(), 'a bar says what is marked');
      await page.screenshot({ path: path.join(artifacts, `search-landed-${isFixture ? 'fixture' : 'report'}-${mode}.png`) });
      await bar.getByRole('button', { name: 'Clear highlights' }).click();
      assert.equal(await page.locator('mark.search-hit').count(), 0, 'cleared');
      assert.equal(await bar.count(), 0, 'the bar is gone');
      assert.equal(await heading.textContent().then((t) => t.toLowerCase().includes(words[0])), true, 'the text is whole again');
      assert.ok(!page.url().includes('hl='), `the address no longer asks for marks: ${page.url()}`);
      await page.close();
      assertClean();
    });

    it('a page found by a word deep in a long section is scrolled to that word', async () => {
      const page = await suite.context.newPage();
      await page.setViewportSize({ width: 390, height: 844 });
      // The marks reveal the first use of the word after the section's start.
      const target = isFixture ? 'chapters/03-responses.html?hl=debts' : 'chapters/03-from-commitment-to-decline.html?hl=retire';
      await page.goto(suite.base + target);
      await page.waitForLoadState('load');
      const mark = page.locator('mark.search-hit.current');
      await mark.waitFor();
      const box = await mark.boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= 844, `the marked word is on screen (at ${box.y})`);
      await page.close();
      assertClean();
    });

    it('kind indexes and the home page are found by their titles', async () => {
      const page = await suite.context.newPage();
      await page.goto(suite.base + 'index.html');
      const top = (await results(page, 'topics'))[0];
      assert.equal(top.url, 'topics/index.html', 'the topics index first for "topics"');
      const home = (await page.locator('h1').textContent()).trim();
      const found = await results(page, home);
      assert.equal(found[0].url, 'index.html', `the home page first for its title "${home}"`);
      await page.close();
      assertClean();
    });

    it('snippets are the pages\' prose, never their lists of links or labels', async () => {
      const page = await suite.context.newPage();
      await page.goto(suite.base + 'index.html');
      const queries = isFixture ? ['trafficking', 'victims', 'police', 'labour'] : ['resilience', 'nato', 'civilian', 'training', 'ukraine'];
      for (const q of queries) {
        const found = await results(page, q, 30);
        assert.ok(found.length > 0, `${q}: some results`);
        for (const r of found) {
          assert.doesNotMatch(r.snippet, /\(\d+ paragraphs?\)|Related topics|Who acts:|The report’s words:|Where the report discusses/, `${q}: ${r.url}#${r.id}: ${r.snippet}`);
        }
      }
      await page.close();
      assertClean();
    });

    if (isFixture) {
      it('a nearer misspelling ranks above a farther one', async () => {
        const page = await suite.context.newPage();
        await page.goto(suite.base + 'index.html');
        // "identifid" is one letter from "identified" (in the victim support
        // topic) and two from "identify" (in the forced labour topic only).
        const urls = (await results(page, 'identifid', 20)).map((r) => r.url);
        const near = urls.indexOf('topics/victim-support.html');
        const far = urls.indexOf('topics/forced-labour.html');
        assert.ok(near >= 0 && far >= 0, urls.join(' '));
        assert.ok(near < far, `one typo above two: ${urls.join(' ')}`);
        // A misspelt title word still puts its page first.
        assert.equal((await results(page, 'trafficing'))[0].url, 'topics/trafficking.html');
        await page.close();
        assertClean();
      });
    } else {
      it('realistic queries put the obviously right page first', async () => {
        const page = await suite.context.newPage();
        await page.goto(suite.base + 'index.html');
        for (const { q, first } of realistic) {
          const found = await results(page, q);
          assert.equal(found[0]?.url, first, `"${q}": ${found.map((r) => r.url).join(' ')}`);
        }
        await page.close();
        assertClean();
      });
    }

    it('screenshots: dropdown and results page, 1280 and 390, light and dark', async () => {
      const q = isFixture ? 'victim suport' : 'resilence';
      for (const scheme of ['light', 'dark']) {
        for (const width of [1280, 390]) {
          const page = await suite.context.newPage();
          await page.emulateMedia({ colorScheme: scheme });
          await page.setViewportSize({ width, height: 844 });
          await page.goto(suite.base + 'index.html');
          await page.locator('#dossier-search').fill(q);
          await page.locator('#dossier-search-results [role="option"]').first().waitFor();
          const tag = `${isFixture ? 'fixture' : 'report'}-${width}-${scheme}-${mode}`;
          await page.screenshot({ path: path.join(artifacts, `search-dropdown-${tag}.png`) });
          await page.goto(suite.base + 'search.html?q=' + encodeURIComponent(q));
          await page.locator('.search-list li').first().waitFor();
          await page.screenshot({ path: path.join(artifacts, `search-page-${tag}.png`) });
          await page.locator('.search-list a').first().click();
          await page.waitForLoadState('load');
          await page.screenshot({ path: path.join(artifacts, `search-landed-${tag}.png`) });
          await page.close();
        }
      }
      assertClean();
    });
  });
}
