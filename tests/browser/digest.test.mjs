// A large digest as a reader on a phone uses it, in headless Chromium: the
// page lays out only the papers near the screen (content-visibility), yet a
// row's number still jumps to the paper's details and the details' number
// back to the row, far down the page and back; nothing moves while the page
// arrives; and with JavaScript off the page reads in full and every link
// works.
//
// The site is made here: one digest of 300 bilingual papers with abstracts,
// built with the real binary into a temporary folder.
//
// Run by tests/e2e/browser.rs (`cargo test --test e2e browser`), or by hand:
//   cargo build && cd tests/browser && npm ci && QUIRE_BIN=../../target/debug/quire node --test digest.test.mjs

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { launch } from './chromium.mjs';
import { serve } from './static-server.mjs';

const STEP_MS = 120_000;
const PAPERS = 300;
const DIGEST = '/digest/2024-04-02/';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Paper `n` of the digest, with a translated title, a summary, a body and an abstract. */
function paper(n) {
  const id = `2404.${String(n).padStart(5, '0')}`;
  const words = 'masked autoencoders scale self supervised pretraining of neural fields '.repeat(8);
  return `---
id: "${id}"
title: "Paper ${n}: ${words.slice(0, 60 + (n % 40))}"
translated_title: "论文 ${n}：神经场的自监督预训练"
summary: "第 ${n} 篇论文的一句话总结，说明它做了什么。"
authors: [Ada Lovelace, Alan Turing]
categories: [${n % 3 ? 'cs.CV' : 'cs.LG'}]
abstract: |
  ${words.repeat(1 + (n % 3))}
---
第 ${n} 篇论文的正文：${'神经场在计算机视觉和机器人领域表现出色。'.repeat(4 + (n % 5))}
`;
}

describe('a large digest in Chromium', { timeout: 8 * STEP_MS }, () => {
  let site, server, base, browser;
  const problems = [];

  /** A page in a fresh phone-sized context that records errors and layout shifts. */
  async function open(options = {}) {
    const context = await browser.newContext({ ...PHONE, ...options });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`${page.url()}: console: ${m.text()}`));
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    return { context, page };
  }

  before(async () => {
    assert.ok(process.env.QUIRE_BIN, 'QUIRE_BIN is not set: run this through `cargo test --test e2e browser`');
    site = await mkdtemp(path.join(os.tmpdir(), 'quire-digest-site-'));
    await writeFile(path.join(site, 'site.toml'),
      'title = "大型速递"\ndescription = "三百篇论文的一天"\nbase_url = "https://example.org/"\nlanguage = "zh"\n');
    await mkdir(path.join(site, 'content/2024-04-02'), { recursive: true });
    for (let n = 1; n <= PAPERS; n++) {
      await writeFile(path.join(site, `content/2024-04-02/${n}.md`), paper(n));
    }
    await promisify(execFile)(path.resolve(process.env.QUIRE_BIN),
      ['build', '--root', site, '--output-dir', path.join(site, 'public')]);
    ({ server, base } = await serve(path.join(site, 'public')));
    browser = await launch({ timeout: STEP_MS });
  }, { timeout: STEP_MS });

  after(async () => {
    await browser?.close();
    server?.close();
    if (site) await rm(site, { recursive: true, force: true });
    assert.deepEqual(problems, [], 'a page threw or logged an error');
  });

  /** Where `#id` is in the window: its top, and whether the window shows it. */
  const placeOf = (page, id) => page.evaluate((id) => {
    const top = document.getElementById(id).getBoundingClientRect().top;
    return { top, shown: top >= -1 && top < window.innerHeight / 2 };
  }, id);

  it('lays out only the papers near the screen', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await page.goto(base + DIGEST, { waitUntil: 'load' });
    const skipped = await page.evaluate(() => {
      const papers = [...document.querySelectorAll('article.paper')];
      const rows = [...document.querySelectorAll('.summary-table tbody tr')];
      const drawn = (el) => el.checkVisibility({ contentVisibilityAuto: true });
      return {
        papers: papers.length, rows: rows.length,
        firstRow: drawn(rows[0].cells[1]), lastRow: drawn(rows.at(-1).cells[1]),
        firstPaper: drawn(papers[0].querySelector('.paper-title')),
      };
    });
    // The screen shows the first rows; the last rows and every paper wait.
    assert.deepEqual(skipped, { papers: PAPERS, rows: PAPERS, firstRow: true, lastRow: false, firstPaper: false });
    assert.equal(await page.evaluate(() => window.__shift), 0, 'nothing moved while the page arrived');
    await context.close();
  });

  for (const javaScript of [true, false]) {
    it(`a row's number leads to the details and back, far down the page (JavaScript ${javaScript ? 'on' : 'off'})`,
      { timeout: STEP_MS }, async () => {
        const { context, page } = await open({ javaScriptEnabled: javaScript });
        await page.goto(base + DIGEST, { waitUntil: 'load' });
        for (const n of [250, 7, 300]) {
          const id = `2404.${String(n).padStart(5, '0')}`;
          // As a reader does: scroll to the row, let its group be laid out, then tap.
          const number = page.locator(`[id="ref-${id}"] td.ref a`);
          await number.scrollIntoViewIfNeeded();
          await page.waitForTimeout(300);
          await number.click({ timeout: STEP_MS });
          await page.waitForFunction((id) => location.hash === `#paper-${id}`, id);
          await page.waitForTimeout(200);
          const details = await placeOf(page, `paper-${id}`);
          assert.ok(details.shown, `[${n}]: the details are at ${details.top} px`);
          assert.match(await page.locator(`[id="paper-${id}"] .paper-title`).innerText(), new RegExp(`论文 ${n}：`));
          await page.locator(`[id="paper-${id}"] a.backref`).click();
          await page.waitForTimeout(200);
          const row = await placeOf(page, `ref-${id}`);
          assert.ok(row.shown, `[${n}]: back at the row, at ${row.top} px`);
        }
        await context.close();
      });
  }

  it('reads in full without JavaScript, its buttons left out', { timeout: STEP_MS }, async () => {
    const { context, page } = await open({ javaScriptEnabled: false });
    await page.goto(base + DIGEST, { waitUntil: 'load' });
    const seen = await page.evaluate(() => ({
      rows: document.querySelectorAll('.summary-table tbody tr').length,
      papers: document.querySelectorAll('article.paper').length,
      abstracts: document.querySelectorAll('article.paper div.abstract').length,
      buttons: [...document.querySelectorAll('main button')].filter((b) => b.checkVisibility()).length,
    }));
    assert.deepEqual(seen, { rows: PAPERS, papers: PAPERS, abstracts: PAPERS, buttons: 0 });
    // The last paper's text is there to read once scrolled to.
    const last = page.locator('[id="paper-2404.00300"]');
    await last.scrollIntoViewIfNeeded();
    assert.ok(await last.locator('div.body').isVisible());
    assert.ok(await last.locator('div.abstract').isVisible());
    const paper = await page.goto(base + '/paper/2404.00300/', { waitUntil: 'load' });
    assert.equal(paper.status(), 200);
    assert.ok(await page.locator('article div.abstract').isVisible(), 'the paper page shows its abstract');
    await context.close();
  });

  it('copy BibTeX buttons come with the papers the reader reaches', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await page.goto(base + DIGEST, { waitUntil: 'load' });
    const made = () => page.locator('article.paper button.copy-bibtex').count();
    assert.ok((await made()) < 20, `${await made()} buttons made before the reader scrolled`);
    const far = page.locator('[id="paper-2404.00280"]');
    await far.scrollIntoViewIfNeeded();
    await far.locator('button.copy-bibtex').waitFor();
    await context.close();
  });
});
