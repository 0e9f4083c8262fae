// A reader's own digest in headless Chromium: keywords and authors to
// highlight and words to hide (from the "My keywords" form and from a
// digest's address), stars kept across reloads and the /starred/ page (its
// BibTeX copied and downloaded, its list exported and imported), what is new
// since the last visit, code links, and an axe-core audit of each in light
// and dark, at 390 px too.
//
// The site is tests/fixtures/theme-site plus papers about diffusion (one a
// survey, one with a code repository), built with the real binary into a
// temporary folder; a digest is added between two visits.
//
// Run by tests/e2e/browser.rs (`cargo test --test e2e browser`), or by hand:
//   cargo build && cd tests/browser && npm ci && QUIRE_BIN=../../target/debug/quire node --test reader.test.mjs

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
const CODE = 'https://github.com/ada/crane-folding';

/** Papers about diffusion: one with code and an accented author, one a
 *  survey, one that says "扩散" only in its translated title. */
const PAPERS = {
  '2404.01304': `---
id: "2404.01304"
title: "Diffusion Policies Fold Paper Cranes"
translated_title: "用扩散策略折纸鹤"
summary: "扩散策略规划每一步折叠。"
authors: [Ada Folder, José Núñez]
categories: [cs.RO]
code: ${CODE}
abstract: |
  A DIFFUSION policy plans each fold of a crane.
---
`,
  '2404.01305': `---
id: "2404.01305"
title: "A Survey of Diffusion Models"
translated_title: "扩散模型综述"
authors: [Ben Crease]
categories: [cs.LG]
abstract: |
  We survey diffusion models.
---
`,
  '2404.01306': `---
id: "2404.01306"
title: "Image Inpainting by Denoising"
translated_title: "基于扩散的图像修复"
authors: [Cai Lens]
categories: [cs.CV]
abstract: |
  Holes in photos are filled by denoising.
---
`,
};

/** The paper of the digest added between two visits. */
const LATER = `---
id: "2404.03001"
title: "Origami Robots Learn Faster"
translated_title: "折纸机器人学得更快"
date: 2024-04-05
authors: [Ada Folder]
---
`;

describe("a reader's own digest in Chromium", { timeout: 20 * STEP_MS }, () => {
  let site, out, server, base, browser;
  const pageErrors = [];
  const build = (root, dir) =>
    promisify(execFile)(path.resolve(process.env.QUIRE_BIN), ['build', '--root', root, '--output-dir', dir]);

  async function open(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 720 }, ...options });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
    return { context, page };
  }
  const go = async (page, rel) => {
    const response = await page.goto(base + rel);
    assert.equal(response.status(), 200, rel);
  };
  /** The ids of the papers shown, in order, among `css`. */
  const shownPapers = (page, css) =>
    page.locator(css).evaluateAll((els) => els.filter((e) => e.checkVisibility()).map((e) => e.dataset.paper));
  /** Each highlighted text with the paper it is in, once there is one
   *  (the words of the papers near the window are marked as they come near). */
  const highlighted = async (page) => {
    await page.waitForFunction(() => CSS.highlights.get('quire-match')?.size > 0);
    return listHighlights(page);
  };
  const listHighlights = (page) =>
    page.evaluate(() => [...(CSS.highlights.get('quire-match') ?? [])].map((r) => {
      const range = document.createRange();
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      // A paper of a list is named by its link, to its details.
      const paper = r.startContainer.parentElement.closest('[data-paper], li');
      const id = paper.dataset.paper ?? paper.querySelector('a').hash.replace('#paper-', '');
      return `${id}:${range.toString()}`;
    }).sort());
  const stored = (page, key) => page.evaluate((k) => localStorage.getItem(`${k}:/`), key);
  /** The ids shown by star buttons pressed on the page. */
  const pressedStars = (page) =>
    page.locator('button[data-star][aria-pressed="true"]').evaluateAll((bs) => [...new Set(bs.map((b) => b.dataset.star))]);

  /** The test site in a new temporary folder. */
  async function makeSite() {
    const root = await mkdtemp(path.join(os.tmpdir(), 'quire-reader-site-'));
    await cp(FIXTURE, root, { recursive: true });
    for (const [id, text] of Object.entries(PAPERS)) await writeFile(path.join(root, `content/2024-04-02/${id}.md`), text);
    return root;
  }

  /** Stars a paper with the button in `css`, made once it is near the window. */
  async function star(page, css) {
    await page.locator(css).scrollIntoViewIfNeeded();
    await page.locator(`${css} button[data-star]`).click();
    await page.locator(`${css} button[data-star][aria-pressed="true"]`).waitFor();
  }

  before(async () => {
    assert.ok(process.env.QUIRE_BIN, 'QUIRE_BIN is not set: run this through `cargo test --test e2e browser`');
    site = await makeSite();
    out = path.join(site, 'public');
    await build(site, out);
    ({ server, base } = await serve(out));
    browser = await launch({ timeout: STEP_MS });
  }, { timeout: STEP_MS });

  after(async () => {
    await browser?.close();
    server?.close();
    if (site) await rm(site, { recursive: true, force: true });
    assert.deepEqual(pageErrors, [], 'a page threw');
  });

  it('a reader who uses none of it loads none of it', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    const loaded = [];
    page.on('request', (r) => {
      if (/\/(reader|keywords|starred)\.js$/.test(r.url())) loaded.push(new URL(r.url()).pathname);
    });
    for (const rel of ['/', DIGEST, '/paper/2404.01304/', '/search/?q=diffusion', '/category/cs-cv/']) {
      await go(page, rel);
      await page.waitForLoadState('networkidle');
    }
    assert.deepEqual(loaded, [], 'no script of it on any page');
    await go(page, DIGEST);
    await page.locator('[data-reader-open]').click();
    await page.locator('#reader-panel').waitFor();
    assert.deepEqual(loaded, ['/keywords.js'], 'keywords.js once its form is opened');
    await context.close();
  });

  it('keywords set in the form highlight, count and hide, on every digest, list and search', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await go(page, DIGEST);
    assert.equal(await page.locator('.reader-status').count(), 0, 'no keywords: nothing loaded, nothing said');
    const toggle = page.locator('[data-reader-open]');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    const form = page.locator('#reader-panel');
    await form.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await form.locator('input[name="include"]').fill('Diffusion, 扩散');
    await form.locator('input[name="authors"]').fill('jose nunez');
    await form.locator('input[name="exclude"]').fill('SURVEY');
    await form.locator('button[type="submit"]').click();

    const status = page.locator('.reader-status');
    assert.equal(await status.textContent(), '7 篇论文中有 2 篇匹配你的关键词 · 已隐藏 1 篇');
    assert.deepEqual(await shownPapers(page, 'tr[data-paper]'),
      ['2404.01300', '2404.01301', '2404.01302', '2404.01303', '2404.01304', '2404.01306']);
    assert.deepEqual(await shownPapers(page, 'article[data-paper]'),
      ['2404.01300', '2404.01301', '2404.01302', '2404.01303', '2404.01304', '2404.01306']);
    assert.equal(await page.locator('[id="ref-2404.01305"]').evaluate((e) => getComputedStyle(e).display), 'none');
    // Case and accents folded; Chinese found in translated titles and summaries; the abstract too.
    const marks = await highlighted(page);
    for (const mark of ['2404.01304:Diffusion', '2404.01304:DIFFUSION', '2404.01304:扩散', '2404.01304:José Núñez', '2404.01306:扩散']) {
      assert.ok(marks.includes(mark), `${mark} in ${marks}`);
    }
    assert.ok(!marks.some((m) => m.startsWith('2404.01305')), 'nothing hidden is marked');
    assert.deepEqual(await page.locator('[data-match]').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.paper))]),
      ['2404.01304', '2404.01306']);

    await form.locator('input[name="only"]').check();
    await form.locator('button[type="submit"]').click();
    assert.deepEqual(await shownPapers(page, 'article[data-paper]'), ['2404.01304', '2404.01306']);
    assert.equal(await status.textContent(), '7 篇论文中有 2 篇匹配你的关键词 · 已隐藏 5 篇');
    // j and k skip what the keywords hide.
    await page.locator('h1').click();
    await page.keyboard.press('j');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.paper), '2404.01304');
    await page.keyboard.press('j');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.paper), '2404.01306');

    await page.reload();
    await status.waitFor();
    assert.deepEqual(await shownPapers(page, 'article[data-paper]'), ['2404.01304', '2404.01306'], 'kept across a reload');
    assert.equal(JSON.parse(await stored(page, 'quire-filter')).only, true);

    await go(page, '/digest/2024-04-03/');
    await status.waitFor();
    assert.equal(await status.textContent(), '2 篇论文中有 0 篇匹配你的关键词 · 已隐藏 2 篇', 'every digest');

    await go(page, '/');
    await page.locator('.paper-list li[data-match]').first().waitFor();
    const listed = await page.locator('.paper-list li').evaluateAll((lis) =>
      lis.filter((li) => li.checkVisibility()).map((li) => li.querySelector('a').hash));
    assert.deepEqual(listed, ['#paper-2404.01304', '#paper-2404.01306'], 'the home page list');
    assert.ok((await highlighted(page)).includes('2404.01306:扩散'));

    await go(page, '/search/?q=diffusion');
    await page.locator('#search-results li[data-match]').first().waitFor();
    const results = Object.fromEntries(await page.locator('#search-results li')
      .evaluateAll((els) => els.map((e) => [e.dataset.paper, e.checkVisibility()])));
    assert.deepEqual(results, { '2404.01304': true, '2404.01305': false }, 'the survey is hidden in search results');
    assert.ok((await highlighted(page)).includes('2404.01304:Diffusion'), 'search results are highlighted');

    await go(page, DIGEST);
    await page.locator('[data-reader-open]').click();
    await page.locator('#reader-panel [data-reader-clear]').click();
    assert.equal(await stored(page, 'quire-filter'), null, 'cleared');
    assert.equal((await shownPapers(page, 'article[data-paper]')).length, 7);
    assert.deepEqual(await listHighlights(page), []);
    await context.close();
  });

  it('keywords in a digest\'s address apply without touching the saved ones', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await go(page, DIGEST);
    await page.evaluate(() => localStorage.setItem('quire-filter:/', JSON.stringify({ include: ['tables'], authors: [], exclude: [], only: false })));
    await go(page, `${DIGEST}?include=${encodeURIComponent('diffusion,扩散')}&exclude=survey`);
    const status = page.locator('.reader-status');
    await status.waitFor();
    assert.equal(await status.textContent(), '按本页链接中的关键词筛选: 7 篇论文中有 2 篇匹配你的关键词 · 已隐藏 5 篇 使用我自己的关键词');
    assert.deepEqual(await shownPapers(page, 'tr[data-paper]'), ['2404.01304', '2404.01306'], 'a link shows only its matches');
    assert.equal(JSON.parse(await stored(page, 'quire-filter')).include[0], 'tables', 'the saved keywords stay');
    await status.locator('a').click();
    await page.waitForURL(`${base}${DIGEST}`);
    await status.waitFor();
    assert.equal(await status.textContent(), '7 篇论文中有 1 篇匹配你的关键词');
    assert.deepEqual(await page.locator('[data-match]').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.paper))]), ['2404.01303']);
    await context.close();
  });

  it('stars are kept across reloads and listed on /starred/, with their BibTeX', { timeout: STEP_MS }, async () => {
    const { context, page } = await open({ viewport: { width: 1000, height: 300 }, permissions: ['clipboard-read', 'clipboard-write'] });
    await go(page, DIGEST);
    const menu = page.locator('[data-starred-link]');
    assert.equal(await menu.isVisible(), false, 'no stars: no menu link');
    // A digest makes the buttons of the papers near the window only.
    await page.locator('[id="ref-2404.01300"] button[data-star]').waitFor();
    const near = await page.locator('button[data-star]').count();
    assert.ok(near < 2 * 7, `${near} star buttons for 7 papers in a short window`);
    await star(page, '[id="ref-2404.01300"]');
    await page.locator('[id="paper-2404.01300"]').scrollIntoViewIfNeeded();
    await page.locator('[id="paper-2404.01300"] button[data-star][aria-pressed="true"]').waitFor();
    assert.deepEqual(await pressedStars(page), ['2404.01300'], 'the row and the details agree');
    assert.ok(await menu.isVisible());
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.locator('[id="paper-2404.01306"] button[data-star]').waitFor();

    await page.reload();
    // The reload keeps the scroll at the foot of the page: the row's button
    // is made once the row comes near the window again.
    await page.locator('[id="ref-2404.01300"]').scrollIntoViewIfNeeded();
    await page.locator('[id="ref-2404.01300"] button[data-star][aria-pressed="true"]').waitFor();
    assert.deepEqual(await pressedStars(page), ['2404.01300'], 'kept across a reload');

    await go(page, '/paper/2404.01304/');
    await star(page, 'article');
    await go(page, '/search/?q=braces');
    await star(page, '#search-results li[data-paper="2404.01302"]');

    await menu.click();
    await page.waitForURL(`${base}/starred/`);
    const list = page.locator('#starred-list li');
    await list.first().waitFor();
    const listed = await list.evaluateAll((lis) => lis.map((li) => [
      li.dataset.paper, li.querySelector('.starred-title').textContent, li.querySelector('.starred-title').getAttribute('href'),
      li.querySelector('.starred-digest a')?.getAttribute('href'),
    ]));
    assert.deepEqual(listed, [
      ['2404.01302', '花括号与"引号"及<标签>', '/paper/2404.01302/', '/digest/2024-04-02/#paper-2404.01302'],
      ['2404.01304', '用扩散策略折纸鹤', '/paper/2404.01304/', '/digest/2024-04-02/#paper-2404.01304'],
      ['2404.01300', 'NeRF-MAE：自监督三维表示学习中的掩码自编码器', '/paper/2404.01300/', '/digest/2024-04-02/#paper-2404.01300'],
    ], 'newest first, with titles and links');
    await page.locator('#starred-status', { hasText: /^3 篇收藏的论文$/ }).waitFor();
    assert.deepEqual(await page.locator('head meta[name="robots"]').evaluateAll((m) => m.map((e) => e.content)), ['noindex']);

    await page.locator('[data-starred-copy]').click();
    await page.locator('#starred-status', { hasText: '已复制' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.deepEqual([...copied.matchAll(/^@misc\{([^,]+),$/gm)].map((m) => m[1]), ['2404.01302', '2404.01304', '2404.01300']);
    assert.ok(copied.includes('title={{Diffusion Policies Fold Paper Cranes}}'), copied);

    const [bib] = await Promise.all([page.waitForEvent('download'), page.locator('[data-starred-download]').click()]);
    assert.equal(bib.suggestedFilename(), 'starred.bib');
    assert.equal(await readFile(await bib.path(), 'utf8'), copied, 'the download is the copied text');

    // Unstarring keeps the paper on the page until the next visit.
    await list.nth(1).locator('button[data-star]').click();
    await page.locator('#starred-status', { hasText: '2 篇收藏的论文' }).waitFor();
    assert.equal(await list.count(), 3);
    await list.nth(1).locator('button[data-star]').click();
    await page.locator('#starred-status', { hasText: '3 篇收藏的论文' }).waitFor();
    await context.close();
  });

  it('the starred list is exported to a file and imported in another browser', { timeout: STEP_MS }, async () => {
    const first = await open();
    await go(first.page, DIGEST);
    for (const id of ['2404.01301', '2404.01303']) await star(first.page, `[id="paper-${id}"]`);
    await go(first.page, '/starred/');
    await first.page.locator('#starred-list li').first().waitFor();
    const [exported] = await Promise.all([first.page.waitForEvent('download'), first.page.locator('[data-starred-export]').click()]);
    assert.equal(exported.suggestedFilename(), 'starred.json');
    const file = await exported.path();
    const kept = JSON.parse(await readFile(file, 'utf8'));
    assert.deepEqual(kept.papers.map((p) => p.id), ['2404.01303', '2404.01301']);

    const second = await open();
    await go(second.page, '/starred/');
    await second.page.locator('#starred-status', { hasText: '还没有收藏的论文：在速递、论文页面或搜索结果中点 ☆ 收藏。' }).waitFor();
    const importFile = async (f) => {
      const [chooser] = await Promise.all([second.page.waitForEvent('filechooser'), second.page.locator('[data-starred-import]').click()]);
      await chooser.setFiles(f);
    };
    await importFile(file);
    await second.page.locator('#starred-status', { hasText: '已导入 2 篇新论文。' }).waitFor();
    assert.deepEqual(JSON.parse(await stored(second.page, 'quire-stars')), kept.papers, 'the same list, field by field');
    // A hostile or foreign file adds nothing that leaves the site.
    const hostile = path.join(site, 'hostile.json');
    await writeFile(hostile, JSON.stringify({ format: 'quire-starred', version: 1, papers: [
      { id: 'x1', title: '<img src=x onerror=alert(1)>', link: 'javascript:alert(1)' },
      { id: 'x2', title: 'Elsewhere', page: 'https://evil.example/paper/x2/' },
      { id: '2404.02001', title: 'Depth', link: '/digest/2024-04-03/#paper-2404.02001' },
      { id: 'x3', title: 'A broken %-encoding', link: '/digest/%E0%A4%A/#paper-x3' },
    ] }));
    await importFile(hostile);
    await second.page.locator('#starred-status', { hasText: '已导入 2 篇新论文。' }).waitFor();
    const hrefs = await second.page.locator('#starred-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.every((h) => h.startsWith('/')), hrefs.join(' '));
    assert.ok(hrefs.includes('/paper/2404.02001/'), 'a page from its place in a digest');
    assert.ok(hrefs.includes('/digest/%E0%A4%A/#paper-x3'), 'shown as written');
    assert.equal(await second.page.locator('#starred-list img').count(), 0);
    await writeFile(hostile, 'not json');
    await importFile(hostile);
    await second.page.locator('#starred-status', { hasText: '这个文件不是收藏列表。' }).waitFor();
    await first.context.close();
    await second.context.close();
  });

  it('code links sit beside PDF on the row, the details and the paper page', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await go(page, DIGEST);
    const code = (css) => page.locator(css).evaluateAll((as) => as.map((a) => [a.textContent, a.href, a.checkVisibility()]));
    assert.deepEqual(await code('[id="ref-2404.01304"] a.code'), [['代码', CODE, true]]);
    assert.deepEqual(await code('[id="paper-2404.01304"] .links a.code'), [['代码', CODE, true]]);
    assert.equal(await page.locator('a.code').count(), 2, 'only the paper with code');
    await go(page, '/paper/2404.01304/');
    assert.deepEqual(await code('article .links a.code'), [['代码', CODE, true]]);
    await context.close();
  });

  it('marks what appeared since the last visit, and says how many', { timeout: STEP_MS }, async () => {
    const { context, page } = await open();
    await go(page, '/');
    assert.equal(await page.locator('.new-since').count(), 0, 'a first visit marks nothing');
    await page.close();
    await writeFile(path.join(site, 'content/2404.03001.md'), LATER);
    await build(site, out);
    try {
      // A new tab is a new visit.
      const again = await context.newPage();
      again.on('pageerror', (e) => pageErrors.push(`${again.url()}: ${e.message}`));
      await go(again, '/');
      const note = again.locator('.new-since');
      await note.waitFor();
      assert.equal(await note.textContent(), '自你上次访问以来的新内容：1 份速递，1 篇论文');
      assert.deepEqual(await again.locator('.digest-card[data-new]').evaluateAll((s) => s.map((e) => e.dataset.digest)), ['2024-04-05']);
      assert.equal(await again.locator('.digest-card[data-new] .new-badge').textContent(), '新');
      await go(again, '/digest/2024-04-05/');
      await note.waitFor();
      assert.equal(await note.textContent(), '自你上次访问以来的新内容：1 篇论文');
      assert.ok(await again.locator('h1[data-new] .new-badge').isVisible());
      await go(again, DIGEST);
      assert.equal(await again.locator('h1[data-new]').count(), 0, 'an older digest is not new');
      // The same visit keeps its marks; the next one starts from here.
      await go(again, '/');
      await note.waitFor();
      await again.close();
      const third = await context.newPage();
      await go(third, '/');
      assert.equal(await third.locator('.new-since').count(), 0, 'nothing new since the last visit');
    } finally {
      await rm(path.join(site, 'content/2404.03001.md'));
      await build(site, out);
    }
    await context.close();
  });

  it('every page still reads fine without JavaScript', { timeout: STEP_MS }, async () => {
    const { context, page } = await open({ javaScriptEnabled: false });
    await go(page, `${DIGEST}?include=survey`);
    assert.equal((await shownPapers(page, 'article[data-paper]')).length, 7, 'a link filters nothing without the script');
    assert.equal(await page.locator('button[data-star], [data-reader-open]:visible').count(), 0, 'no button that would do nothing');
    await go(page, '/starred/');
    assert.ok(await page.locator('noscript').count());
    assert.equal(await page.locator('.starred-tools').isVisible(), false);
    await context.close();
  });

  /** The page in each state this feature adds, for axe and a phone. */
  async function reader(page) {
    await page.evaluate(() => {
      localStorage.setItem('quire-stars:/', JSON.stringify([{ id: '2404.01300', title: 'NeRF-MAE', link: '/digest/2024-04-02/#paper-2404.01300' }]));
      localStorage.setItem('quire-filter:/', JSON.stringify({ include: ['diffusion'], authors: [], exclude: ['survey'], only: false }));
      localStorage.setItem('quire-seen:/', '2024-04-01');
    });
  }
  const states = {
    [DIGEST]: async (page) => {
      await page.locator('[data-reader-open]').click();
      await page.locator('#reader-panel').waitFor();
      await page.locator('.reader-status').waitFor();
      await page.locator('.new-since').waitFor();
    },
    '/': (page) => page.locator('.new-since').waitFor(),
    '/paper/2404.01304/': (page) => page.locator('article button[data-star]').waitFor(),
    '/search/?q=diffusion': (page) => page.locator('#search-results li[data-match] button[data-star]').first().waitFor(),
    '/starred/': (page) => page.locator('#starred-list li').first().waitFor(),
  };

  for (const scheme of ['light', 'dark']) {
    it(`axe-core finds no serious or critical problem in what readers add, ${scheme}`, { timeout: 2 * STEP_MS }, async () => {
      const { context, page } = await open({ colorScheme: scheme });
      await go(page, '/archive/');
      await reader(page);
      const problems = [];
      for (const [rel, ready] of Object.entries(states)) {
        await go(page, rel);
        await ready(page);
        problems.push(...await axeProblems(page, rel));
      }
      assert.deepEqual(problems, [], `${scheme}:\n${problems.join('\n')}`);
      await context.close();
    });
  }

  it('a 390 px phone reads them without sideways scrolling', { timeout: STEP_MS }, async () => {
    const { context, page } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await go(page, '/archive/');
    await reader(page);
    for (const [rel, ready] of Object.entries(states)) {
      await go(page, rel);
      await ready(page);
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(widths[0] <= widths[1], `${rel}: the page is ${widths[0]} px wide in ${widths[1]} px`);
    }
    await context.close();
  });

  it('speaks English on an English site', { timeout: STEP_MS }, async () => {
    const english = await makeSite();
    const toml = await readFile(path.join(english, 'site.toml'), 'utf8');
    await writeFile(path.join(english, 'site.toml'),
      toml.replace('language = "zh"', 'language = "en"').replace('https://example.org/', 'https://example.org/en/'));
    await build(english, path.join(out, 'en'));
    await rm(english, { recursive: true, force: true });
    const { context, page } = await open();
    await go(page, `/en${DIGEST}?include=diffusion&exclude=survey`);
    const status = page.locator('.reader-status');
    await status.waitFor();
    assert.equal(await status.textContent(), "Filtered by this page's link: 1 of 7 papers matches your keywords · 6 hidden Use my own keywords");
    assert.equal(await page.locator('[data-reader-open]').textContent(), 'My keywords');
    assert.deepEqual(await page.locator('[id="ref-2404.01304"] a.code').allTextContents(), ['Code']);
    await context.close();
  });
});
