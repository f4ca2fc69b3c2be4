// A page that embeds notes (fixture tests/fixtures/vault, page Boxed), in
// real Chromium over file:// and loopback HTTP: "On this page" lists each
// embed once, by the name its frame shows; following that entry brings the
// top of the frame into view, and the panel marks the entry while the
// frame is read. The embedded callout folds as on the note's own page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildSite, describeInBrowser, fileBase, repo, serve } from './support.mjs';

const site = buildSite(path.join(repo, 'tests', 'fixtures', 'vault', 'content'));

let server;
before(async () => { server = await serve(site); });
after(async () => { await server?.close(); });

for (const mode of ['file', 'http']) {
  describeInBrowser(`embedded notes over ${mode}://`, {
    base: () => mode === 'file' ? fileBase(site) : server.base,
  }, (suite) => {
    const { it } = suite;

    async function open(rel) {
      const page = await suite.context.newPage();
      await page.setViewportSize({ width: 1280, height: 700 });
      await page.goto(suite.base + rel);
      return page;
    }

    it('"On this page" names each embed once and leads to the top of its frame', async () => {
      const page = await open('Boxed.html');
      const entries = await page.locator('nav.toc li a').allTextContents();
      assert.deepEqual(entries, ['Tips', 'Setting up', 'Guide › Setup', 'Notes']);
      assert.equal(await page.locator('nav.toc .toc-box-label').count(), 0, 'no "Box:" label');
      await page.locator('nav.toc a', { hasText: 'Guide › Setup' }).click();
      const frame = page.locator('#embed-guide-setup');
      await assert.doesNotReject(frame.waitFor());
      const top = await frame.evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(top >= 0 && top < 200, `the frame's top is in view (${top}px)`);
      const source = await frame.locator('.transclusion-source').isVisible();
      assert.ok(source, "the note's name at the top of the frame is seen");
      // The panel marks the embed as the part being read.
      await assert.doesNotReject(page.waitForFunction(() => {
        const a = document.querySelector('nav.toc a[href="#embed-guide-setup"]');
        return a.getAttribute('aria-current') === 'location';
      }, null, { timeout: 5000 }));
      await page.close();
    });

    it('a callout inside an embedded note folds open and shut', async () => {
      const page = await open('Boxed.html');
      const callout = page.locator('.transclusion details.callout-tip');
      assert.equal(await callout.count(), 1);
      assert.equal(await callout.evaluate((d) => d.open), false, 'folded, as `-` asks');
      await callout.locator('summary').click();
      assert.equal(await callout.evaluate((d) => d.open), true);
      assert.ok(await callout.locator('.callout-body').isVisible());
      await page.close();
    });
  });
}
