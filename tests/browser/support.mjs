// Shared helpers for the browser tests and the benchmark: build the site,
// start Debian's Chromium (never a downloaded browser), serve the site on
// loopback, and watch every request and console message.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const fixture = path.join(repo, 'tests', 'fixtures', 'reading', 'content');
export const artifacts = process.env.DOSSIER_ARTIFACTS || path.join(repo, 'target', 'browser-artifacts');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

/** Builds `content` into a fresh temp dir with the debug binary; returns the site dir. */
export function buildSite(content = fixture) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-browser-')), 'site');
  execFileSync('cargo', ['run', '-q', '--', 'build', '--content', content, '--out', out], {
    cwd: repo,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return out;
}

/** The site to test: $DOSSIER_SITE if set (run.sh builds it), else the fixture, built now. */
export function siteDir() {
  return process.env.DOSSIER_SITE ? path.resolve(process.env.DOSSIER_SITE) : buildSite();
}

/**
 * Starts headless Chromium with a fresh profile. Throws (so tests fail, never
 * skip) when the browser is missing or cannot start.
 */
export async function launch(options = {}) {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`no browser at ${chromiumPath}: install Debian's chromium (apt-get install -y chromium)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-gpu',
        '--disable-sync',
        '--disable-default-apps',
        '--metrics-recording-only',
      ],
      viewport: { width: 1280, height: 900 },
      ...options,
    });
  } catch (e) {
    try { fs.rmSync(profile, { recursive: true, force: true }); } catch { /* best effort */ }
    throw e;
  }
  // The fresh profile goes with the browser (best effort: Chromium may still
  // be flushing it while it exits, and a leftover temp dir fails nothing).
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch { /* left in the temp dir */ }
  };
  return context;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.xml': 'application/xml',
};

/** A static file server on 127.0.0.1 (random port), the way a reader's server would serve site/. */
export async function serve(dir) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(fs.readFileSync(path.join(dir, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}/`;
  return { base, close: () => new Promise((r) => server.close(r)) };
}

/** Base URL of the site under file://, ending in `/`. */
export function fileBase(dir) {
  return pathToFileURL(dir).href + '/';
}

/**
 * Records every request, console error and page error of a browser context;
 * `check()` lists the problems: requests leaving `base` (or file: when
 * offline), console errors, uncaught exceptions.
 */
export function watch(context, base) {
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  const hook = (page) => {
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()} (${page.url()})`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message} (${page.url()})`));
  };
  context.pages().forEach(hook);
  context.on('page', hook);
  // Anything that is not the site itself is refused and reported.
  context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(base) || u.startsWith('data:') || u.startsWith('about:')) return route.continue();
    return route.abort('blockedbyclient');
  });
  return {
    requests,
    errors,
    outside: () => requests.filter((u) => !(u.startsWith(base) || u.startsWith('data:') || u.startsWith('about:'))),
    reset: () => { requests.length = 0; errors.length = 0; },
  };
}

/** One page of each kind (and each generated page) found in the built site. */
export function samplePages(dir) {
  const first = (sub) => {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d)) return null;
    const f = fs.readdirSync(d).filter((n) => n.endsWith('.html') && n !== 'index.html').sort()[0];
    return f ? `${sub}/${f}` : null;
  };
  const pages = {
    home: 'index.html',
    chapter: first('chapters'),
    topic: first('topics'),
    acronym: first('acronyms'),
    recommendation: first('recommendations'),
    source: first('sources'),
    interview: first('interviews'),
    page: fs.readdirSync(dir).filter((n) => n.endsWith('.html') && !['index.html', '404.html', 'graph.html', 'print.html', 'search.html'].includes(n)).sort()[0] || null,
    'chapter index': fs.existsSync(path.join(dir, 'chapters/index.html')) ? 'chapters/index.html' : null,
    glossary: fs.existsSync(path.join(dir, 'acronyms/index.html')) ? 'acronyms/index.html' : null,
    graph: 'graph.html',
    print: 'print.html',
    search: 'search.html?q=the',
    'not found': '404.html',
  };
  return Object.fromEntries(Object.entries(pages).filter(([, v]) => v));
}

/** A chapter page with at least one footnote reference. */
export function pageWithNotes(dir) {
  const d = path.join(dir, 'chapters');
  for (const f of fs.readdirSync(d).sort()) {
    if (f === 'index.html') continue;
    if (fs.readFileSync(path.join(d, f), 'utf8').includes('class="footnote-ref"')) return `chapters/${f}`;
  }
  return null;
}

/** Relative luminance of a CSS rgb() colour, for the dark-mode check. */
export function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The skeleton of every browser test file: a `describe` block that starts
 * Chromium before its tests and closes it after. `setup.base()` is the URL
 * the site is opened at (asked once the servers are up), `setup.launch` the
 * options for launch(), `setup.inside(base)` what watch() counts as the
 * site (the base itself unless given). `body(suite)` declares the tests
 * with `suite.it`, which fails — never skips — when the browser did not
 * start, and reads `suite.context`, `suite.seen` and `suite.base` in them.
 */
export function describeInBrowser(title, setup, body) {
  describe(title, () => {
    const suite = { context: undefined, seen: undefined, base: undefined };
    let launchError;
    before(async () => {
      suite.base = setup.base();
      try {
        suite.context = await launch(setup.launch);
        suite.seen = watch(suite.context, setup.inside ? setup.inside(suite.base) : suite.base);
      } catch (e) {
        launchError = e;
      }
    });
    after(async () => { await suite.context?.close(); });
    suite.it = (name, fn) => test(name, async () => {
      if (launchError) throw new Error(`Chromium could not start: ${launchError.message}`);
      await fn();
    });
    body(suite);
  });
}
