// Text and math as a reader sees them, in headless Chromium: the math font
// (STIX Two Math) is fetched by pages with a formula and by no other, and
// only its core subset for common formulas (under 60 KB; a bold letter
// adds the letters subset, a family of its own), display
// math is drawn with it (a large ∑, a radical with its bar), `\textit{}` in a
// formula is italic text, body tables have borders, and the search page
// opened from disk (file://, relative_urls = true) says that it needs a
// server instead of staying mute.
//
// The site is tests/fixtures/theme-site plus one paper with display math and
// a table, built with the real binary into temporary folders.
//
// Run by tests/e2e/browser.rs (`cargo test --test e2e browser`), or by hand:
//   cargo build && cd tests/browser && npm ci && QUIRE_BIN=../../target/debug/quire node --test text.test.mjs

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';


import { launch } from './chromium.mjs';
import { serve } from './static-server.mjs';

const STEP_MS = 120_000;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.resolve(HERE, '../fixtures/theme-site');
const FONT = 'fonts/stix-two-math-core.woff2';

const MATH_PAPER = `---
id: "2404.09999"
title: Display math and a table
translated_title: 显示公式与表格
date: 2024-04-03
---
The loss is

$$\\sum_{i=1}^{n} \\sqrt{x_i^2 + y_i^2} \\quad \\text{for } \\textit{arbitrary} \\; x$$

| metric | value |
| --- | --- |
| PSNR | 31.2 |
`;

// A bold letter is in the `letters` subset, served as a family of its own.
const BOLD_PAPER = `---
id: "2404.09998"
title: A bold vector field
date: 2024-04-04
---
The flux is $\\oint_{\\partial \\Omega} \\mathbf{F} \\cdot dS$.
`;

describe('text and math in Chromium', { timeout: 8 * STEP_MS }, () => {
  let site, out, offline, server, base, browser;

  before(async () => {
    assert.ok(process.env.QUIRE_BIN, 'QUIRE_BIN is not set: run this through `cargo test --test e2e browser`');
    const bin = path.resolve(process.env.QUIRE_BIN);
    site = await mkdtemp(path.join(os.tmpdir(), 'quire-text-site-'));
    await cp(FIXTURE, site, { recursive: true });
    await writeFile(path.join(site, 'content/2024-04-03/2404.09999.md'), MATH_PAPER);
    await mkdir(path.join(site, 'content/2024-04-04'));
    await writeFile(path.join(site, 'content/2024-04-04/2404.09998.md'), BOLD_PAPER);
    out = path.join(site, 'public');
    await promisify(execFile)(bin, ['build', '--root', site, '--output-dir', out]);
    await appendFile(path.join(site, 'site.toml'), '\nrelative_urls = true\n');
    offline = path.join(site, 'offline');
    await promisify(execFile)(bin, ['build', '--root', site, '--output-dir', offline]);
    ({ server, base } = await serve(out));
    browser = await launch({ timeout: STEP_MS });
  }, { timeout: STEP_MS });

  after(async () => {
    await browser?.close();
    server?.close();
    if (site) await rm(site, { recursive: true, force: true });
  });

  /** Opens `rel` in a fresh context; resolves with the page and the paths it fetched. */
  async function visit(rel) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const fetched = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    const response = await page.goto(base + rel, { waitUntil: 'load' });
    assert.equal(response.status(), 200, rel);
    await page.evaluate(() => document.fonts.ready);
    return { context, page, fetched };
  }

  it('only pages with a formula fetch the math font, and name it for math', { timeout: STEP_MS }, async () => {
    const plain = await visit('/archive/');
    assert.equal(await plain.page.locator('math').count(), 0, 'the archive has no formula');
    assert.ok(!plain.fetched.some((p) => p.endsWith(FONT)), `fetched: ${plain.fetched.join(' ')}`);
    await plain.context.close();

    // The paper's body, with its formula, is on its digest's page.
    const withMath = await visit('/digest/2024-04-03/');
    assert.ok(withMath.fetched.some((p) => p.endsWith(FONT)), `fetched: ${withMath.fetched.join(' ')}`);
    // Sums, roots, Latin and Greek letters are in the core subset: the rest of the font stays unfetched.
    const fonts = withMath.fetched.filter((p) => p.endsWith('.woff2'));
    assert.deepEqual(fonts, [`/${FONT}`], 'only the core subset');
    const { size } = await stat(path.join(out, FONT));
    assert.ok(size <= 60_000, `the core subset is ${size} bytes`);
    const family = await withMath.page.locator('math').first().evaluate((m) => getComputedStyle(m).fontFamily);
    assert.match(family, /^"STIX Two Math"/);
    assert.ok(await withMath.page.evaluate(() => document.fonts.check('16px "STIX Two Math"', '∑')));
    // One face in the family formulas are laid out with: Firefox reads an
    // integral's italic correction only from a family that is one face.
    const faces = await withMath.page.evaluate(() => [...document.fonts].map((f) => f.family.replaceAll('"', '')));
    assert.deepEqual(faces.filter((f) => f.startsWith('STIX')), ['STIX Two Math', 'STIX Two Math Letters', 'STIX Two Math Other']);
    await withMath.context.close();
  });

  it('a bold letter fetches the letters subset and is drawn with it', { timeout: STEP_MS }, async () => {
    const { context, page, fetched } = await visit('/paper/2404.09998/');
    const fonts = fetched.filter((p) => p.endsWith('.woff2')).sort();
    assert.deepEqual(fonts, ['/fonts/stix-two-math-core.woff2', '/fonts/stix-two-math-letters.woff2']);
    const bold = page.locator('math mi', { hasText: '𝐅' });
    assert.equal(await bold.count(), 1, 'F is drawn as the bold math letter');
    assert.ok(await page.evaluate(() => document.fonts.check('16px "STIX Two Math Letters"', '𝐅')));
    await context.close();
  });

  it('display math is drawn large, with a radical bar, and \\textit as italic text', { timeout: STEP_MS }, async () => {
    const { context, page } = await visit('/digest/2024-04-03/');
    const block = page.locator('[id="paper-2404.09999"] div.body math[display="block"]');
    assert.equal(await block.count(), 1);
    const sum = await block.locator('mo', { hasText: '∑' }).boundingBox();
    const x = await block.locator('msqrt mi').first().boundingBox();
    assert.ok(sum.height > 1.5 * x.height, `∑ ${sum.height}px high, x ${x.height}px: display size`);
    const root = await block.locator('msqrt').boundingBox();
    assert.ok(root.height > x.height && root.width > x.width * 3, 'the radical spans its contents');
    const italic = block.locator('mtext', { hasText: 'arbitrary' });
    assert.equal(await italic.evaluate((e) => getComputedStyle(e).fontStyle), 'italic');
    assert.equal(await italic.textContent(), 'arbitrary', 'plain letters, not math italic ones');
    await context.close();
  });

  it('tables in a paper body have borders', { timeout: STEP_MS }, async () => {
    const { context, page } = await visit('/digest/2024-04-03/');
    const cell = page.locator('[id="paper-2404.09999"] div.body td').first();
    const border = await cell.evaluate((td) => getComputedStyle(td));
    assert.equal(border.borderTopStyle, 'solid');
    assert.ok(parseFloat(border.borderTopWidth) >= 1);
    await context.close();
  });

  it('search opened from disk says it needs a server', { timeout: STEP_MS }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pathToFileURL(path.join(offline, 'search/index.html')).href + '?q=masked', { waitUntil: 'load' });
    const status = page.locator('#search-status');
    await page.waitForFunction(() => document.getElementById('search-status').textContent.includes('quire serve'));
    assert.match(await status.textContent(), /^搜索需要网页服务器/);
    assert.ok(await page.locator('#search-q').isDisabled(), 'the field says it cannot be used');
    await context.close();

    const served = await visit('/search/?q=masked');
    await served.page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0);
    assert.doesNotMatch(await served.page.locator('#search-status').textContent(), /服务器/);
    await served.context.close();
  });
});
