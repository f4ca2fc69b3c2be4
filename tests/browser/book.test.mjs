// An mdBook book built as it is (fixture tests/fixtures/book), in real
// Chromium over file:// and loopback HTTP: the sidebar follows SUMMARY.md
// (part titles, nesting, a draft that is no link) on wide screens and in
// the phone menu, folder index pages list their chapters, and the book's
// own 404.md answers for a missing address at any depth.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildSite, fileBase, launch, repo, serve, watch } from './support.mjs';

const site = buildSite(path.join(repo, 'tests', 'fixtures', 'book', 'content'));

let server;
before(async () => { server = await serve(site); });
after(async () => { await server?.close(); });

for (const mode of ['file', 'http']) {
  describe(`book over ${mode}://`, () => {
    let context;
    let seen;
    let base;
    let launchError;
    before(async () => {
      base = mode === 'file' ? fileBase(site) : server.base;
      try {
        context = await launch();
        seen = watch(context, base);
      } catch (e) {
        launchError = e;
      }
    });
    after(async () => { await context?.close(); });
    const it = (name, fn) => test(name, async () => {
      if (launchError) throw new Error(`Chromium could not start: ${launchError.message}`);
      await fn();
    });
    async function open(rel, width = 1280) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(base + rel);
      return page;
    }

    it('the sidebar nests the chapters under their part, and a draft is no link', async () => {
      const page = await open('guide/install.html');
      const side = page.locator('nav.sidebar');
      await assert.doesNotReject(side.getByText('Getting started', { exact: true }).waitFor());
      const x = async (name) => (await side.getByRole('link', { name, exact: true }).boundingBox()).x;
      assert.ok(await x('Install') > await x('Guide'), 'a nested chapter is indented');
      assert.equal(await x('Reference'), await x('Guide'));
      assert.equal(await side.getByRole('link', { name: 'Later chapter' }).count(), 0);
      assert.ok(await side.getByText('Later chapter').isVisible());
      assert.equal(await side.getByRole('link', { name: 'Install', exact: true }).getAttribute('aria-current'), 'page');
      await page.getByRole('link', { name: 'Usage', exact: true }).first().click();
      await page.waitForURL(/usage\.html$/);
      assert.deepEqual(seen.errors, []);
      await page.close();
    });

    it('the phone menu lists the same chapters', async () => {
      const page = await open('index.html', 390);
      await page.locator('details.menu > summary').click();
      const menu = page.locator('details.menu');
      await assert.doesNotReject(menu.getByText('Getting started', { exact: true }).waitFor());
      assert.ok(await menu.getByRole('link', { name: 'Usage', exact: true }).isVisible());
      await page.close();
    });

    it('a folder index page lists its chapters with their first paragraph', async () => {
      const page = await open('guide/index.html');
      const list = page.locator('section.children');
      assert.deepEqual(await list.getByRole('link').allTextContents(), ['Installing', 'Usage']);
      assert.ok(await list.getByText('Everything needed to install the tool.').isVisible());
      await page.close();
    });

    if (mode === 'http') {
      it("the book's 404.md answers for a missing address, styled, at any depth", async () => {
        const page = await open('guide/deep/missing.html');
        await assert.doesNotReject(page.getByRole('heading', { name: 'Lost in the book' }).waitFor());
        const link = page.locator('.content').getByRole('link', { name: 'preface', exact: true });
        await link.click();
        await page.waitForURL(/\/preface\.html$/);
        await page.close();
      });
    }
  });
}
