import { chromium } from 'playwright-core';
const site = process.argv[2], outDir = process.argv[3];
const pages = process.argv.slice(4);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [w, h] of [[1280, 900], [390, 844]]) {
  for (const scheme of ['light', 'dark']) {
    const ctx = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme });
    const page = await ctx.newPage();
    for (const p of pages) {
      await page.goto('file://' + site + '/' + p);
      const name = `${outDir}/${p.replace(/[\/.]/g, '_')}-${w}-${scheme}.png`;
      await page.screenshot({ path: name });
    }
    await ctx.close();
  }
}
await browser.close();
