// Screenshots of the default theme for the README: the home, digest and paper
// pages of the repository's example site (site.toml and content/ at the
// repository root), at 390 px (a phone) and 1280 px (a laptop), light and
// dark: 12 PNGs in docs/screenshots/, named like digest-390-dark.png. Each
// shows the top of its page, one and a half windows high.
//
// Not a test: run it by hand after changing the theme, look at every image,
// and commit them.
//   cargo build && cd tests/browser && npm ci && node screenshots.mjs
// QUIRE_BIN picks the binary (default: target/debug/quire of this
// repository). The pages are Chinese: install a CJK font first
// (`apt-get install fonts-noto-cjk` on Debian), or they show boxes.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';


import { launch } from './chromium.mjs';
import { serve } from './static-server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(REPO, 'docs/screenshots');
const BIN = path.resolve(process.env.QUIRE_BIN ?? path.join(REPO, 'target/debug/quire'));

const PAGES = { home: '/', digest: '/digest/2024-04-02/', paper: '/paper/2404.01300/' };
const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

const site = await mkdtemp(path.join(os.tmpdir(), 'quire-screenshots-'));
let server;
let browser;
try {
  await promisify(execFile)(BIN, ['build', '--root', REPO, '--output-dir', site]);
  let base;
  ({ server, base } = await serve(site));
  browser = await launch();
  await mkdir(OUT, { recursive: true });
  for (const scheme of ['light', 'dark']) {
    for (const { width, height } of SIZES) {
      const context = await browser.newContext({
        viewport: { width, height },
        colorScheme: scheme,
        isMobile: width < 500,
        hasTouch: width < 500,
      });
      const page = await context.newPage();
      for (const [name, rel] of Object.entries(PAGES)) {
        await page.goto(base + rel, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready);
        const file = path.join(OUT, `${name}-${width}-${scheme}.png`);
        const full = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.screenshot({
          path: file,
          fullPage: true,
          clip: { x: 0, y: 0, width, height: Math.min(full, Math.round(height * 1.5)) },
        });
        console.log(path.relative(REPO, file));
      }
      await context.close();
    }
  }
} finally {
  await browser?.close();
  server?.close();
  await rm(site, { recursive: true, force: true });
}
