// A photo's credit (small print) and a box's entry in "On this page", in
// Debian's headless Chromium, light and dark, at 1280 and 390 px: the credit
// is smaller than the text and still readable, the box is labelled and not
// numbered as a section. Runs on a small site of its own, whichever site
// run.sh passes.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  artifacts, buildSite, describeInBrowser, fileBase, luminance,
} from './support.mjs';

const content = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-credit-'));
fs.writeFileSync(path.join(content, 'plans.md'), [
  '---', 'title: Plans', '---', '',
  '## Why plans', '', 'Plans are how an alliance prepares for what it cannot foresee.', '',
  '<small>**Photo:** Soldiers plan an exercise (source: ACME/Flickr).</small>', '',
  '<aside>', '', '## What is a plan?', '', 'A plan is short.', '', '</aside>', '',
  'More text.', '', '## How plans fail', '', 'Often.', '',
].join('\n'));
const site = buildSite(content);
fs.mkdirSync(artifacts, { recursive: true });

const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

describeInBrowser('a credit and a box heading', { base: () => fileBase(site) }, (suite) => {
  const { it } = suite;
  after(() => fs.rmSync(content, { recursive: true, force: true }));

  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      it(`${scheme} at ${width} px`, async () => {
        const page = await suite.context.newPage();
        await page.emulateMedia({ colorScheme: scheme });
        await page.setViewportSize({ width, height: 900 });
        await page.goto(suite.base + 'plans.html');
        const m = await page.evaluate(() => {
          const small = document.querySelector('.content p > small');
          const text = document.querySelector('.content p');
          const box = document.querySelector('.toc li.toc-box');
          const bg = (el) => {
            for (let e = el; e; e = e.parentElement) {
              const c = getComputedStyle(e).backgroundColor;
              if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
            }
            return 'rgb(255, 255, 255)';
          };
          return {
            smallSize: parseFloat(getComputedStyle(small).fontSize),
            textSize: parseFloat(getComputedStyle(text).fontSize),
            smallColor: getComputedStyle(small).color,
            smallBg: bg(small),
            textColor: getComputedStyle(text).color,
            boxText: box?.textContent,
            boxMarker: box && getComputedStyle(box).listStyleType,
            sections: [...document.querySelectorAll('.toc li:not(.toc-box)')].map((li) => li.textContent),
          };
        });
        assert.ok(m.smallSize < m.textSize * 0.9, `credit ${m.smallSize}px, text ${m.textSize}px`);
        assert.notEqual(m.smallColor, m.textColor, 'the credit is muted');
        const c = contrast(m.smallColor, m.smallBg);
        assert.ok(c >= 4.5, `credit contrast ${c.toFixed(2)} (${m.smallColor} on ${m.smallBg})`);
        assert.equal(m.boxText, 'Box: What is a plan?');
        assert.equal(m.boxMarker, 'none');
        assert.deepEqual(m.sections, ['Why plans', 'How plans fail']);
        await page.screenshot({ path: path.join(artifacts, `credit-${scheme}-${width}.png`), fullPage: true });
        assert.deepEqual(suite.seen.errors, []);
        await page.close();
      });
    }
  }
});
