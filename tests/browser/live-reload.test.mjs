// `quire serve`'s live reload as a person sees it: a page open in headless
// Chromium while the site's files are edited on disk. A saved paper reloads
// the page, a saved stylesheet is swapped in place, a broken paper shows its
// error over the page (as text) until it is fixed, and TeX that cannot be
// shown is a warning in a bar at the top of the page that covers nothing,
// on a 390 px phone too.
//
// Run by tests/e2e/browser.rs (`cargo test --test e2e browser`), or by hand:
//   cargo build && cd tests/browser && npm ci && QUIRE_BIN=../../target/debug/quire node --test
// SCREENSHOT_DIR=<folder> keeps screenshots of the error overlay and the warning box there.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { launchPersistent } from './chromium.mjs';

/** How long the page may take to follow an edit (a slow, shared machine). */
const WAIT_MS = 15_000;
const STEP_MS = 60_000;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const PAPER = 'content/2024-04-02/a.md';
const PAPER_PATH = '/paper/2404.00001/';
const NEW_PAPER = 'content/2024-04-02/c.md';

const paper = (id, title) =>
  `---\nid: "${id}"\ntitle: "${title}"\nsummary: "One line about ${id}."\n---\nBody of ${id}.\n`;
const BROKEN = '---\nid: "2404.00001"\ntitle: "Broken"\n<img src=x onerror=alert(1)>: 1\n---\nBody.\n';
const stylesheet = (themeCss, color) => `${themeCss}\nbody { border-top: 12px solid ${color}; }\n`;

/**
 * Starts `quire serve` and resolves with its URL once it prints `Serving `.
 * With port 0 it takes a free port itself: one found free here could be
 * taken by another socket before the server binds it.
 */
function startServer(bin, root, port, log) {
  const child = spawn(bin, ['serve', '--root', root, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  readline.createInterface({ input: child.stderr }).on('line', (l) => log.push(`stderr: ${l}`));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "Serving " line in 30 s:\n${log.join('\n')}`)), 30_000);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(`stdout: ${line}`);
      const serving = /^Serving (\S+)/.exec(line);
      if (serving) {
        clearTimeout(timer);
        resolve(serving[1]);
      }
    });
    child.once('error', (e) => reject(new Error(`cannot start ${bin}: ${e.message}`)));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`quire serve exited (${code ?? signal}) before serving:\n${log.join('\n')}`));
    });
  });
  return { child, url };
}

/** Stops the server: SIGTERM, then SIGKILL if it lingers. */
async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

describe('quire serve live reload in Chromium', { timeout: 5 * STEP_MS }, () => {
  const log = []; // the server's output, shown when a step fails
  const dialogs = []; // alert() and friends: the page must never open one
  const pageErrors = [];
  let site, profile, server, context, page, base, themeCss;

  const write = (rel, text) => writeFile(path.join(site, rel), text);
  const marker = () => page.evaluate(() => window.__quireMarker);
  const setMarker = (value) => page.evaluate((v) => (window.__quireMarker = v), value);

  /** Waits until `fn(arg)` is true in the page, across reloads; says `what` and shows the server log if not. */
  async function waitUntil(what, fn, arg) {
    try {
      await page.waitForFunction(fn, arg, { timeout: WAIT_MS, polling: 50 });
    } catch (e) {
      const body = await page.evaluate(() => document.body?.innerText).catch(() => '(no page)');
      assert.fail(`${what}: not within ${WAIT_MS} ms (${e.message.split('\n')[0]})\n` +
        `page text:\n${body}\nserver output:\n${log.join('\n')}`);
    }
  }

  /** Waits for the page's live-reload connection, so no signal is sent before it listens. */
  const listening = () =>
    waitUntil('the page opens /__quire/live', () =>
      (window.__quireSources ?? []).some((s) => s.readyState === EventSource.OPEN));

  const overlayText = () => page.evaluate(() => document.getElementById('quire-problem')?.textContent ?? null);

  before(async () => {
    assert.ok(process.env.QUIRE_BIN, 'QUIRE_BIN is not set: run this through `cargo test --test e2e browser`, ' +
      'or set it to a built quire binary (QUIRE_BIN=../../target/debug/quire)');
    const bin = path.resolve(process.env.QUIRE_BIN);
    themeCss = await readFile(path.join(REPO, 'themes/default/static/style.css'), 'utf8');

    site = await mkdtemp(path.join(os.tmpdir(), 'quire-browser-site-'));
    await mkdir(path.join(site, 'content/2024-04-02'), { recursive: true });
    await mkdir(path.join(site, 'static'));
    // The paper's page shows its body too, where the steps watch an edit arrive.
    await write('site.toml',
      'title = "Live reload test"\nbase_url = "https://example.org/"\nlanguage = "en"\n[paper]\nfull_text = true\n');
    await write(PAPER, paper('2404.00001', 'First title'));
    await write('content/2024-04-02/b.md', paper('2404.00002', 'Second paper'));
    // The site's static/style.css replaces the theme's: the theme's rules plus one to watch.
    await write('static/style.css', stylesheet(themeCss, 'rgb(0, 128, 0)'));

    const started = startServer(bin, site, 0, log);
    server = started.child;
    process.once('exit', () => server.kill('SIGKILL')); // even if the steps below throw
    base = await started.url;

    profile = await mkdtemp(path.join(os.tmpdir(), 'quire-browser-profile-'));
    context = await launchPersistent(profile, {
      args: ['--disable-component-update', '--disable-sync'],
      viewport: { width: 1000, height: 720 },
      timeout: STEP_MS,
    });
    // Keep a handle on every EventSource the page opens, to know when it listens.
    await context.addInitScript(() => {
      const Native = window.EventSource;
      window.__quireSources = [];
      window.EventSource = class extends Native {
        constructor(...args) {
          super(...args);
          window.__quireSources.push(this);
        }
      };
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, { timeout: STEP_MS });

  after(async () => {
    try {
      await context?.close();
    } finally {
      if (server) await stopServer(server);
      for (const dir of [site, profile]) {
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    }
  });

  it('a saved paper reloads the page by itself and shows the new title', { timeout: STEP_MS }, async () => {
    await page.goto(new URL(PAPER_PATH, base).href);
    assert.match(await page.locator('.paper-title').innerText(), /First title/);
    await listening();
    await setMarker(1);
    await write(PAPER, paper('2404.00001', 'Title edited on disk'));
    await waitUntil('the page reloads with the edited title', () =>
      window.__quireMarker === undefined &&
      document.querySelector('.paper-title')?.textContent.includes('Title edited on disk'));
    assert.match(await page.title(), /Title edited on disk/);
  });

  it('a saved stylesheet is swapped in place, without a reload', { timeout: STEP_MS }, async () => {
    await listening();
    const border = () => page.evaluate(() => getComputedStyle(document.body).borderTopColor);
    assert.equal(await border(), 'rgb(0, 128, 0)');
    await setMarker(2);
    await write('static/style.css', stylesheet(themeCss, 'rgb(200, 0, 0)'));
    await waitUntil('the new stylesheet applies',
      () => getComputedStyle(document.body).borderTopColor === 'rgb(200, 0, 0)');
    assert.equal(await marker(), 2, 'the page must not reload for a stylesheet');
    assert.match(await page.locator('link[rel="stylesheet"]').getAttribute('href'), /[?&]quire=/);
  });

  it('a broken paper shows its error over the page, as text', { timeout: STEP_MS }, async () => {
    await setMarker(3);
    await write(PAPER, BROKEN);
    // Waits for the key in the text: a save caught half-written may show another error first.
    await waitUntil('the error overlay shows the broken key', () =>
      document.getElementById('quire-problem')?.textContent.includes('<img src=x onerror'));
    const overlay = page.locator('#quire-problem');
    assert.ok(await overlay.isVisible(), 'the overlay is visible');
    assert.equal(await overlay.getAttribute('role'), 'alert');
    const text = await overlayText();
    assert.ok(text.includes('content/2024-04-02/a.md'), `the overlay names the file:\n${text}`);
    assert.ok(text.includes('<img src=x onerror'), `the overlay shows the key as text:\n${text}`);
    assert.equal(await overlay.locator('img').count(), 0, 'no element is made from the error text');
    assert.equal(await page.locator('img').count(), 0, 'no img anywhere on the page');
    assert.equal(await marker(), 3, 'the last good page stays, not reloaded');
    assert.match(await page.locator('.paper-title').innerText(), /Title edited on disk/);
    if (process.env.SCREENSHOT_DIR) {
      await mkdir(process.env.SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'quire-problem-overlay.png') });
    }
  });

  it('fixing a broken paper removes the error and shows the fixed title', { timeout: STEP_MS }, async () => {
    await write(PAPER, paper('2404.00001', 'Fixed title'));
    await waitUntil('the page reloads with the fixed title and no overlay', () =>
      window.__quireMarker === undefined &&
      !document.getElementById('quire-problem') &&
      document.querySelector('.paper-title')?.textContent.includes('Fixed title'));
    await listening();
    assert.equal(await overlayText(), null, 'no overlay after the reload either');
  });

  it('TeX that cannot be shown is a warning beside the page, not over it', { timeout: STEP_MS }, async () => {
    const withTex = paper('2404.00001', 'Fixed title').replace('Body of', 'Bad $\\href{javascript:alert(1)}{x}$ in');
    await write(PAPER, withTex);
    await waitUntil('the page reloads with a warning box', () =>
      document.getElementById('quire-warning')?.textContent.includes('unsupported TeX'));
    const box = page.locator('#quire-warning');
    assert.equal(await box.getAttribute('role'), 'status');
    assert.match(await box.locator('summary').innerText(), /^quire serve: 1 warning$/);
    const text = await box.textContent();
    assert.ok(text.includes('content/2024-04-02/a.md'), `the warning names the file:\n${text}`);
    assert.equal(await box.locator('a, img, script').count(), 0, 'the warning is text');
    // The page stays usable: its title is not under the box.
    const title = await page.locator('.paper-title').boundingBox();
    const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('#quire-warning') === null,
      { x: title.x + 5, y: title.y + title.height / 2 });
    assert.ok(onTop, 'the paper title is not covered by the warning');
    if (process.env.SCREENSHOT_DIR) {
      await mkdir(process.env.SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, 'quire-warning.png') });
    }
    await box.getByRole('button', { name: 'Close' }).click();
    assert.equal(await page.locator('#quire-warning').count(), 0, 'the warning closes');
    await listening();
    await write(PAPER, paper('2404.00001', 'Fixed title'));
    await waitUntil('the page reloads without the warning', () =>
      !document.querySelector('.body')?.textContent.includes('href') &&
      document.readyState === 'complete' && !document.getElementById('quire-warning'));
    await listening();
    assert.equal(await page.locator('#quire-warning').count(), 0, 'no warning once the TeX is gone');
  });

  it('on a 390 px phone the warnings cover nothing: every link stays clickable', { timeout: 2 * STEP_MS }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const withTex = paper('2404.00001', 'Fixed title').replace('Body of', 'Bad $\\href{x}{y}$ in');
    // A reload the last step's save asked for may still come: go again if it cuts the first visit short.
    const digest = new URL('/digest/2024-04-02/', base).href;
    await page.goto(digest).catch(() => page.goto(digest));
    await listening();
    await write(PAPER, withTex);
    await waitUntil('the digest shows the warnings', () =>
      document.getElementById('quire-warning')?.textContent.includes('unsupported TeX'));
    /**
     * Every visible link and button outside the box takes a click where it is: scrolled through the
     * page half a screen at a time, the point at the middle of each one in view is that element's
     * (nothing lies over it); and Playwright's own hit test agrees for each.
     */
    async function everythingClickable(state) {
      const covered = await page.evaluate(async () => {
        const found = [];
        const targets = [...document.querySelectorAll('a, button, summary, input')]
          .filter((el) => !el.closest('#quire-warning'));
        for (let y = 0; y <= document.documentElement.scrollHeight; y += innerHeight / 2) {
          window.scrollTo(0, y);
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          for (const el of targets) {
            const r = el.getBoundingClientRect();
            const [x, middle] = [r.left + r.width / 2, r.top + r.height / 2];
            if (!r.width || !r.height || x < 0 || x >= innerWidth || middle < 0 || middle >= innerHeight) continue;
            const hit = document.elementFromPoint(x, middle);
            if (!el.contains(hit)) found.push(`${el.outerHTML.slice(0, 80)} (scrolled to ${y}) under ${hit?.outerHTML.slice(0, 60)}`);
          }
        }
        return found;
      });
      assert.deepEqual(covered, [], `${state}: elements under something`);
      const targets = page.locator('a:visible, button:visible, summary:visible, input:visible');
      const n = await targets.count();
      assert.ok(n > 10, `the page has links (${n})`);
      for (let i = 0; i < n; i += 1) {
        const target = targets.nth(i);
        // The box's own controls, and what is kept off the page until focused (the skip link), aside.
        if (await target.evaluate((el) => !!el.closest('#quire-warning') || el.getBoundingClientRect().right <= 0)) continue;
        const label = await target.evaluate((el) => el.outerHTML.slice(0, 120));
        await target.click({ trial: true, timeout: 3_000 }).catch((e) =>
          assert.fail(`${state}: ${label} cannot be clicked: ${e.message.split('\n')[0]}`));
      }
    }
    await everythingClickable('the warnings folded');
    const shot = async (name) => {
      if (!process.env.SCREENSHOT_DIR) return;
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, name) });
    };
    await shot('quire-warning-390-folded.png');
    const box = page.locator('#quire-warning');
    const boxArea = await box.boundingBox();
    assert.ok(boxArea.height < 60, `folded, the bar is one line (${boxArea.height} px)`);
    await box.locator('summary').click();
    assert.ok(await box.locator('pre').isVisible(), 'the summary opens the list');
    await everythingClickable('the warnings open');
    await shot('quire-warning-390-open.png');
    // Closed, it stays closed across reloads until the warnings change.
    await box.getByRole('button', { name: 'Close' }).click();
    await setMarker(5);
    await page.reload();
    await listening();
    await page.waitForTimeout(500);
    assert.equal(await page.locator('#quire-warning').count(), 0, 'a closed bar stays closed');
    await write(PAPER, withTex.replace('Bad $', 'Bad $\\href{y}{z}$ and $'));
    await waitUntil('new warnings show again', () =>
      (document.getElementById('quire-warning')?.textContent ?? '').includes('warning'));
    await write(PAPER, paper('2404.00001', 'Fixed title'));
    await waitUntil('the page reloads without the warning', () =>
      document.readyState === 'complete' && !document.getElementById('quire-warning') &&
      ![...document.querySelectorAll('.body')].some((b) => b.textContent.includes('Bad')));
    await page.setViewportSize({ width: 1000, height: 720 });
    await page.goto(new URL(PAPER_PATH, base).href).catch(() => page.goto(new URL(PAPER_PATH, base).href));
    await listening();
  });

  it('removing a broken new file removes the error without a reload', { timeout: STEP_MS }, async () => {
    await setMarker(4);
    await write(NEW_PAPER, BROKEN.replace('2404.00001', '2404.00003'));
    await waitUntil('the overlay names the new file', () =>
      document.getElementById('quire-problem')?.textContent.includes('c.md'));
    await rm(path.join(site, NEW_PAPER));
    await waitUntil('the overlay goes away', () => !document.getElementById('quire-problem'));
    assert.equal(await marker(), 4, 'no page changed: no reload');
    assert.match(await page.locator('.paper-title').innerText(), /Fixed title/);
    assert.deepEqual(dialogs, [], 'the page opened a dialog');
    assert.deepEqual(pageErrors, [], 'the page threw');
  });
});
