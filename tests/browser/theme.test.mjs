// The default theme as a reader uses it, in headless Chromium: the dark mode
// and language toggles (remembered across a reload, applied before the page
// is painted), the category chips of a digest, the j/k and / keys, "copy
// BibTeX", the citation and OpenGraph tags, the favicon, phone widths
// without sideways scrolling or dates broken across lines, no console
// error, and an axe-core audit of every kind of page in light and dark.
//
// The site is tests/fixtures/theme-site, built with the real binary into a
// temporary folder and served by static-server.mjs.
//
// Run by tests/e2e/browser.rs (`cargo test --test e2e browser`), or by hand:
//   cargo build && cd tests/browser && npm ci && QUIRE_BIN=../../target/debug/quire node --test theme.test.mjs

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';


import { axeProblems } from './axe.mjs';
import { launch } from './chromium.mjs';
import { serve } from './static-server.mjs';

const STEP_MS = 120_000;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE = path.resolve(HERE, '../fixtures/theme-site');

const DIGEST = '/digest/2024-04-02/';
const NERF = '/paper/2404.01300/';
const TRICKY = '/paper/2404.01302/';
const LIGHT_BG = 'rgb(253, 253, 252)';
const DARK_BG = 'rgb(22, 23, 26)';

/** Whether the braces of a BibTeX entry balance, `\{` and `\}` aside. */
function balanced(entry) {
  let depth = 0;
  for (let i = 0; i < entry.length; i++) {
    const c = entry[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The fields of a `@misc{key,\n  name={value},\n...}` entry, as { key, fields }. */
function parseBibtex(entry) {
  const head = /^@misc\{([^,\s{}]+),\n/.exec(entry);
  assert.ok(head, `not a @misc entry:\n${entry}`);
  assert.ok(entry.endsWith('\n}'), `the entry does not end with a brace of its own:\n${entry}`);
  assert.ok(balanced(entry), `unbalanced braces:\n${entry}`);
  const fields = {};
  for (const line of entry.slice(head[0].length, -2).split('\n')) {
    const field = /^ {2}(\w+)=\{(.*)\},?$/.exec(line);
    assert.ok(field, `not a field line: ${JSON.stringify(line)}\n${entry}`);
    assert.ok(balanced(field[2]), `unbalanced value in ${line}`);
    fields[field[1]] = field[2];
  }
  return { key: head[1], fields };
}

describe('the default theme in Chromium', { timeout: 12 * STEP_MS }, () => {
  let out, server, base, browser;
  const pageErrors = [];

  /** A fresh browser context (its own localStorage) and a page in it. */
  async function open(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 720 }, ...options });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
    // A missing favicon or font is a console error too.
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(`${page.url()}: console: ${m.text()}`));
    return { context, page };
  }

  const go = async (page, rel) => {
    const response = await page.goto(base + rel);
    assert.equal(response.status(), 200, rel);
  };
  const bodyBackground = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const pressed = (locator) => locator.getAttribute('aria-pressed');
  const visibleIds = (page, css) =>
    page.locator(css).evaluateAll((els) => els.filter((e) => e.checkVisibility()).map((e) => e.id));

  before(async () => {
    assert.ok(process.env.QUIRE_BIN, 'QUIRE_BIN is not set: run this through `cargo test --test e2e browser`, ' +
      'or set it to a built quire binary (QUIRE_BIN=../../target/debug/quire)');
    out = await mkdtemp(path.join(os.tmpdir(), 'quire-theme-site-'));
    await promisify(execFile)(path.resolve(process.env.QUIRE_BIN),
      ['build', '--root', FIXTURE, '--output-dir', out]);
    ({ server, base } = await serve(out));
    browser = await launch({ timeout: STEP_MS });
  }, { timeout: STEP_MS });

  after(async () => {
    await browser?.close();
    server?.close();
    if (out) await rm(out, { recursive: true, force: true });
    assert.deepEqual(pageErrors, [], 'a page threw');
  });

  it('dark mode follows the system, toggles, and is remembered from the first paint', { timeout: STEP_MS }, async () => {
    const { context, page } = await open({ colorScheme: 'light' });
    // What <html> says when <body> first exists: a choice applied later would flash.
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.body) return;
        window.__atBody = document.documentElement.dataset.theme ?? 'none';
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    await go(page, '/');
    const toggle = page.locator('header [data-theme-toggle]');
    assert.ok(await toggle.isVisible(), 'the toggle shows once the script runs');
    assert.ok(await toggle.getAttribute('aria-label'), 'the toggle has a name');
    assert.equal(await pressed(toggle), 'false');
    assert.equal(await bodyBackground(page), LIGHT_BG);

    await toggle.click();
    assert.equal(await pressed(toggle), 'true');
    assert.equal(await bodyBackground(page), DARK_BG);

    await page.reload();
    assert.equal(await page.evaluate(() => window.__atBody), 'dark', 'dark before the body is parsed');
    assert.equal(await pressed(toggle), 'true');
    assert.equal(await bodyBackground(page), DARK_BG);
    await go(page, DIGEST);
    assert.equal(await bodyBackground(page), DARK_BG, 'remembered on another page');

    await toggle.click();
    assert.equal(await pressed(toggle), 'false');
    assert.equal(await bodyBackground(page), LIGHT_BG);
    await page.reload();
    assert.equal(await bodyBackground(page), LIGHT_BG);
    await context.close();

    const dark = await open({ colorScheme: 'dark' });
    await go(dark.page, '/');
    assert.equal(await bodyBackground(dark.page), DARK_BG, 'a dark system gets a dark page');
    assert.equal(await pressed(dark.page.locator('[data-theme-toggle]')), 'true');
    await dark.context.close();
  });

  it('the language toggle shows translated, original or both, remembered', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await go(page, DIGEST);
    const toggle = page.locator('[data-lang-toggle]');
    assert.ok(await toggle.isVisible());
    const button = (mode) => toggle.locator(`button[data-lang-mode="${mode}"]`);
    const nerf = page.locator('[id="paper-2404.01300"]');
    const row = page.locator('[id="ref-2404.01300"]');
    const untranslated = page.locator('[id="paper-2404.01303"]');
    const shown = async () => ({
      translatedTitle: await nerf.locator('.paper-title .lang-tr').isVisible(),
      originalTitle: await nerf.locator('.paper-title .original-title').isVisible(),
      body: await nerf.locator('.body').isVisible(),
      abstract: await nerf.locator('div.abstract').isVisible(),
      rowOriginal: await row.locator('td.title a.lang-orig').isVisible(),
      rowTranslated: await row.locator('td.title .lang-tr').isVisible(),
    });
    const all = { translatedTitle: true, originalTitle: true, body: true, abstract: true };
    const modes = () => Promise.all(['translated', 'original', 'both'].map(async (m) => [m, await pressed(button(m))]));

    assert.deepEqual(await shown(), { ...all, rowOriginal: true, rowTranslated: true }, 'both: both titles in a row');
    assert.equal(await pressed(button('both')), 'true');
    assert.equal(await nerf.locator('.original-title').getAttribute('lang'), 'en', 'the original title is English');
    assert.equal(await nerf.locator('div.abstract > div').getAttribute('lang'), 'en');

    await button('original').click();
    assert.deepEqual(await shown(), {
      translatedTitle: false, originalTitle: true, body: false, abstract: true, rowOriginal: true, rowTranslated: false,
    });
    assert.deepEqual(await modes(), [['translated', 'false'], ['original', 'true'], ['both', 'false']]);

    await page.reload();
    assert.equal(await pressed(button('original')), 'true', 'remembered across a reload');
    assert.equal(await nerf.locator('.paper-title .lang-tr').isVisible(), false);

    await button('translated').click();
    assert.deepEqual(await shown(), {
      translatedTitle: true, originalTitle: false, body: true, abstract: false, rowOriginal: false, rowTranslated: true,
    });
    // A paper with only its original text keeps it.
    assert.ok(await untranslated.locator('.paper-title').isVisible());
    assert.ok(await untranslated.locator('div.abstract').isVisible());

    await go(page, NERF);
    assert.equal(await pressed(page.locator('[data-lang-toggle] button[data-lang-mode="translated"]')), 'true');
    assert.equal(await page.locator('article .paper-title .original-title').isVisible(), false, 'remembered on the paper page');
    assert.ok(await page.locator('article .paper-title .lang-tr').isVisible());

    await page.locator('[data-lang-toggle] button[data-lang-mode="both"]').click();
    await go(page, DIGEST);
    assert.deepEqual(await shown(), { ...all, rowOriginal: true, rowTranslated: true });

    // Lists show the translated title, or the original when it is asked for.
    await go(page, '/');
    const listed = page.locator('.paper-list a[href$="#paper-2404.01300"]');
    const titles = async () => [
      await listed.locator('.lang-tr').isVisible(), await listed.locator('.lang-orig-only').isVisible(),
    ];
    assert.deepEqual(await titles(), [true, false], 'both: the translated title in a list');
    await page.locator('[data-lang-toggle] button[data-lang-mode="original"]').click();
    assert.deepEqual(await titles(), [false, true], 'original: the original title');
    await page.locator('[data-lang-toggle] button[data-lang-mode="both"]').click();

    await go(page, '/archive/');
    assert.equal(await page.locator('[data-lang-toggle]').count(), 0, 'no toggle on a page without translations');
    await context.close();
  });

  it('category chips hide and show the right papers and count them', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await go(page, DIGEST);
    const chips = page.locator('[data-filter] button');
    assert.deepEqual(await chips.allInnerTexts(), ['全部', 'cs.CL', 'cs.CV', 'cs.LG', 'cs.RO']);
    const count = page.locator('#paper-count');
    const papers = () => visibleIds(page, 'article.paper');
    const rows = () => visibleIds(page, '.summary-table tbody tr');
    assert.equal(await count.innerText(), '4 篇论文');

    const expect = async (chip, ids, text) => {
      await chips.filter({ hasText: chip }).click();
      assert.deepEqual(await papers(), ids.map((id) => `paper-${id}`), chip);
      assert.deepEqual(await rows(), ids.map((id) => `ref-${id}`), chip);
      assert.equal(await count.innerText(), text, chip);
      assert.equal(await pressed(chips.filter({ hasText: chip })), 'true');
      assert.equal(await page.locator('[data-filter] button[aria-pressed="true"]').count(), 1);
    };
    await expect('cs.CV', ['2404.01300', '2404.01302'], '显示 2 篇，共 4 篇论文');
    await expect('cs.LG', ['2404.01301', '2404.01303'], '显示 2 篇，共 4 篇论文');
    await expect('cs.RO', ['2404.01300'], '显示 1 篇，共 4 篇论文');
    await expect('全部', ['2404.01300', '2404.01301', '2404.01302', '2404.01303'], '4 篇论文');
    await context.close();
  });

  it('j and k move the focus between the papers shown, / focuses the search box', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await go(page, DIGEST);
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
    const inView = () => page.evaluate(() => {
      const top = document.activeElement.getBoundingClientRect().top;
      return top >= 0 && top < window.innerHeight / 2;
    });
    for (const [key, id] of [['j', '2404.01300'], ['j', '2404.01301'], ['j', '2404.01302'], ['k', '2404.01301']]) {
      await page.keyboard.press(key);
      assert.equal(await focused(), `paper-${id}`, `after ${key}`);
      assert.ok(await inView(), `paper-${id} is scrolled into view`);
    }
    await page.locator('[data-filter] button', { hasText: 'cs.CV' }).click();
    await page.keyboard.press('j');
    assert.equal(await focused(), 'paper-2404.01300');
    await page.keyboard.press('j');
    assert.equal(await focused(), 'paper-2404.01302', 'j skips papers the filter hides');
    await page.keyboard.press('k');
    assert.equal(await focused(), 'paper-2404.01300');

    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.type), 'search');
    await page.keyboard.type('jk');
    assert.equal(await page.evaluate(() => document.activeElement.value), 'jk', 'keys typed in the box stay there');
    await context.close();
  });

  it('copy BibTeX puts a valid entry on the clipboard', { timeout: STEP_MS }, async () => {
    const { context, page } = await open({ permissions: ['clipboard-read', 'clipboard-write'] });
    await go(page, TRICKY);
    const button = page.locator('article button.copy-bibtex');
    assert.ok(await button.isVisible());
    await button.click();
    const entry = await page.evaluate(() => navigator.clipboard.readText());
    const { key, fields } = parseBibtex(entry);
    assert.equal(key, '2404.01302');
    assert.deepEqual(Object.keys(fields), ['title', 'author', 'year', 'eprint', 'archivePrefix', 'primaryClass', 'url']);
    assert.equal(fields.title, '{Braces \\{and\\} "Quotes" \\& <Tags>: 50\\% of {$O(n^2)$} \\#1}');
    assert.equal(fields.author, "{Smith and Sons} and Ève O'Brien");
    assert.equal(fields.year, '2024');
    assert.equal(fields.eprint, '2404.01302');
    assert.equal(fields.archivePrefix, 'arXiv');
    assert.equal(fields.primaryClass, 'cs.CV');
    assert.equal(fields.url, 'https://arxiv.org/abs/2404.01302');
    assert.equal(await button.innerText(), '已复制');

    await go(page, DIGEST);
    // A digest's button fetches the entry from the paper's page: it says so once it is copied.
    const digestButton = page.locator('[id="paper-2404.01300"] button.copy-bibtex');
    await digestButton.click();
    await digestButton.filter({ hasText: '已复制' }).waitFor();
    const nerf = parseBibtex(await page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(nerf.key, '2404.01300');
    assert.equal(nerf.fields.author, 'Muhammad Zubair Irshad and Sergey Zakharov and Vitor Guizilini');
    assert.equal(nerf.fields.primaryClass, 'cs.CV');
    await context.close();
  });

  it('without the Clipboard API, copy BibTeX shows the entry selected', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
    await go(page, TRICKY);
    const details = page.locator('article details.cite');
    assert.equal(await details.evaluate((d) => d.open), false);
    await page.locator('article button.copy-bibtex').click();
    assert.equal(await details.evaluate((d) => d.open), true, 'the entry is shown');
    const selected = await page.evaluate(() => window.getSelection().toString());
    assert.equal(selected, await details.locator('pre').textContent());
    parseBibtex(selected);
    assert.match(await page.locator('#quire-status').textContent(), /已复制|Ctrl\+C/);
    await context.close();
  });

  it('paper pages carry citation tags and every page OpenGraph tags', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    const meta = (attr, name) =>
      page.locator(`head meta[${attr}="${name}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('content')));
    await go(page, TRICKY);
    assert.deepEqual(await meta('name', 'citation_title'), ['Braces {and} "Quotes" & <Tags>: 50% of $O(n^2)$ #1']);
    assert.deepEqual(await meta('name', 'citation_author'), ['Smith and Sons', "Ève O'Brien"]);
    assert.deepEqual(await meta('name', 'citation_date'), ['2024/04/02']);
    assert.deepEqual(await meta('name', 'citation_arxiv_id'), ['2404.01302']);
    assert.deepEqual(await meta('name', 'citation_pdf_url'), ['https://arxiv.org/pdf/2404.01302']);
    assert.deepEqual(await meta('name', 'citation_abstract_html_url'), ['https://arxiv.org/abs/2404.01302']);
    assert.deepEqual(await meta('property', 'og:type'), ['article']);
    assert.deepEqual(await meta('property', 'og:title'), ['花括号与"引号"及<标签>']);
    assert.deepEqual(await meta('property', 'og:url'), ['https://example.org/paper/2404.01302/']);

    const pages = { '/': '/', [DIGEST]: DIGEST, '/archive/': '/archive/', '/category/': '/category/',
      '/tag/nerf/': '/tag/nerf/', '/search/': '/search/' };
    for (const [rel, canonical] of Object.entries(pages)) {
      await go(page, rel);
      assert.deepEqual(await meta('property', 'og:url'), [`https://example.org${canonical}`], rel);
      assert.deepEqual(await meta('property', 'og:site_name'), ['主题测试摘要'], rel);
      assert.deepEqual(await meta('property', 'og:locale'), ['zh_CN'], rel);
      assert.deepEqual(await meta('name', 'twitter:card'), ['summary'], rel);
      for (const [attr, name] of [['property', 'og:title'], ['property', 'og:type'], ['name', 'description']]) {
        const values = await meta(attr, name);
        assert.equal(values.length, 1, `${rel}: one ${name}`);
        assert.ok(values[0].trim(), `${rel}: ${name} is empty`);
      }
      // The description is written once: previews read it where og:description
      // is missing, and Twitter reads the OpenGraph title.
      for (const [attr, name] of [['name', 'twitter:title'], ['name', 'twitter:description'], ['property', 'og:description']]) {
        assert.equal((await meta(attr, name)).length, 0, `${rel}: ${name} repeats another tag`);
      }
      assert.equal(await page.locator('head meta[name^="citation_"]').count(), 0, `${rel}: citation tags are for papers`);
    }
    await context.close();
  });

  it('search says how many papers match, in the singular for one', { timeout: STEP_MS }, async () => {
    // The site is Chinese, whose one and other forms are the same: a copy of
    // the search page with telling texts shows which one search.js picks.
    const html = await readFile(path.join(out, 'search/index.html'), 'utf8');
    const marked = html.replace(/data-text-count="[^"]*"/, 'data-text-count="OTHER {n}"')
      .replace(/data-text-count-one="[^"]*"/, 'data-text-count-one="ONE {n}"');
    assert.notEqual(marked, html);
    await mkdir(path.join(out, 'search-counts'), { recursive: true });
    await writeFile(path.join(out, 'search-counts/index.html'), marked);
    const { context, page } = await open();
    for (const [query, said] of [['nerf', 'ONE 1'], ['估计', 'OTHER 2']]) {
      await go(page, `/search-counts/?q=${encodeURIComponent(query)}`);
      await page.locator('#search-results li').first().waitFor();
      assert.equal(await page.locator('#search-status').textContent(), said, query);
    }
    await context.close();
  });

  it('every page names a favicon that is there and is an image', { timeout: STEP_MS }, async () => {
    // Headless Chromium fetches no favicon by itself: the page loads the one it names.
    const { context, page } = await open();
    for (const rel of ['/', DIGEST, NERF, '/archive/', '/tag/nerf/']) {
      await go(page, rel);
      const icon = await page.evaluate(async () => {
        const href = document.querySelector('link[rel="icon"]').href;
        const img = new Image();
        img.src = href;
        await img.decode();
        return { path: new URL(href).pathname, width: img.naturalWidth };
      });
      assert.deepEqual(icon, { path: '/favicon.ico', width: 32 }, rel);
    }
    await context.close();
  });

  it('a 360 px phone reads every page without sideways scrolling', { timeout: STEP_MS }, async () => {
    const { context, page } = await open({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    for (const rel of ['/', DIGEST, NERF, TRICKY, '/archive/', '/category/', '/search/']) {
      await go(page, rel);
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        window: document.documentElement.clientWidth,
        table: [...document.querySelectorAll('.table-wrap')].map((t) => t.scrollWidth - t.clientWidth),
      }));
      assert.ok(widths.page <= widths.window, `${rel}: the page is ${widths.page} px wide in ${widths.window} px`);
      assert.ok(widths.table.every((extra) => extra <= 0), `${rel}: the summary table scrolls (${widths.table})`);
      const broken = await page.locator('time').evaluateAll((els) =>
        els.filter((t) => new Set([...t.getClientRects()].map((r) => Math.round(r.top))).size > 1).map((t) => t.textContent));
      assert.deepEqual(broken, [], `${rel}: a date breaks across lines`);
    }
    await context.close();
  });

  for (const scheme of ['light', 'dark']) {
    it(`axe-core finds no serious or critical problem, ${scheme}`, { timeout: 2 * STEP_MS }, async () => {
      const { context, page } = await open({ colorScheme: scheme });
      const problems = [];
      for (const rel of ['/', DIGEST, NERF, '/archive/', '/category/', '/category/cs-cv/', '/search/?q=nerf']) {
        await go(page, rel);
        if (rel.startsWith('/search/')) await page.locator('#search-results li').first().waitFor();
        problems.push(...await axeProblems(page, rel));
      }
      assert.deepEqual(problems, [], `${scheme}:\n${problems.join('\n')}`);
      await context.close();
    });
  }
});
