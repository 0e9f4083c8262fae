// How long a reader's keywords take to apply to a digest: headless Chromium
// at 1000 x 800, its CPU slowed 4 times through the DevTools protocol
// (Emulation.setCPUThrottlingRate), the digest served from a built site's
// folder. Each filter is saved from the "My keywords" form, as a reader
// does. The first one also waits for the page's text to be read (reader.js
// reads it once, in slices of about 10 ms, from the moment the form opens;
// here the form is opened just before it is saved).
//
//   python3 bench/gen_corpus.py --shape real --papers 1200 --per-day 1200 --out target/bench/day-1200
//   target/release/quire build --root target/bench/day-1200 --output-dir target/bench/day-1200-out
//   node bench/filter.mjs target/bench/day-1200-out /digest/2023-01-02/ [--runs 5] [--cpu 4] [--css CSS]
//
// `--css` adds a style sheet to the page first, to see what a change of the
// theme's CSS would do (`--css 'article.paper { content-visibility: auto }'`).
//
// Prints, per filter, the median of the runs of: the script's time, from
// the form's submit until its handler returns (matching, hiding and
// highlighting; for the first, until the page is read and the count said),
// with the best run beside it (the least disturbed on a busy machine); and
// the time until the next frame is drawn (style, layout and paint of the
// changed page too); with how many papers match and how many are hidden.
// Then the same for a category chip, the filter the theme had, as a
// baseline. Needs the browser tests' packages (`cd tests/browser && npm
// ci`) and Chromium at /usr/bin/chromium.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const browserTests = path.join(here, '../tests/browser');
const { launch } = await import(path.join(browserTests, 'chromium.mjs'));
const { serve } = await import(path.join(browserTests, 'static-server.mjs'));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args.splice(i, 2)[1];
};
const runs = Number(option('runs', 5));
const cpu = Number(option('cpu', 4));
const extraCss = option('css', null);
const [out, page] = args;
if (!out || !page) {
  console.error('usage: node bench/filter.mjs OUT /digest/KEY/ [--runs N] [--cpu RATE]');
  process.exit(2);
}

/** The filters, in the order a reader might try them; the first indexes the page. */
const FILTERS = [
  { name: 'include diffusion, 扩散; exclude survey', include: 'diffusion, 扩散', exclude: 'survey' },
  { name: 'the same, only the matches', include: 'diffusion, 扩散', exclude: 'survey', only: true },
  { name: 'exclude transformer', exclude: 'transformer' },
  { name: 'include robust, author ra', include: 'robust', authors: 'ra', only: true },
  { name: 'cleared', clear: true },
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One visit: each filter saved in turn, timed. */
async function visit(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const tab = await context.newPage();
  await tab.goto(url, { waitUntil: 'load', timeout: 300_000 });
  if (extraCss) await tab.addStyleTag({ content: extraCss });
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  await tab.locator('[data-reader-open]').click();
  await tab.locator('#reader-panel').waitFor();
  const times = [];
  for (const filter of FILTERS) {
    times.push(await tab.evaluate(async (f) => {
      const form = document.getElementById('reader-panel');
      for (const k of ['include', 'authors', 'exclude']) form.elements[k].value = f[k] ?? '';
      form.elements.only.checked = f.only === true;
      // The reader typed: the page has drawn the form as it is now.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      const submit = f.clear ? () => form.querySelector('[data-reader-clear]').click() : () => form.requestSubmit();
      const start = performance.now();
      submit();
      let script = performance.now() - start;
      // The first filter waits for the page to be read (in slices): until its count is said.
      if (!document.querySelector('.reader-status')) {
        await new Promise((resolve) => {
          const seen = new MutationObserver(() => {
            if (!document.querySelector('.reader-status')) return;
            seen.disconnect();
            resolve();
          });
          seen.observe(document.querySelector('.page-tools'), { childList: true });
        });
        script = performance.now() - start;
      }
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      const frame = performance.now() - start;
      const papers = document.querySelectorAll('article[data-paper]');
      const matched = document.querySelectorAll('article[data-match]').length;
      const hidden = document.querySelectorAll('article[data-filtered]').length;
      return { script, frame, papers: papers.length, matched, hidden };
    }, filter));
  }
  // The baseline: a category chip, then "All" again; a digest without
  // categories (as `gen_corpus.py --shape real` makes) has no chips.
  const chips = await tab.evaluate(() => document.querySelectorAll('[data-filter] button').length);
  const baseline = chips > 1 ? ['[data-filter] button:nth-child(2)', '[data-filter] button:first-child'] : [];
  for (const chip of baseline) {
    times.push(await tab.evaluate(async (css) => {
      const start = performance.now();
      document.querySelector(css).click();
      const script = performance.now() - start;
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      const hidden = document.querySelectorAll('article[hidden]').length;
      return { script, frame: performance.now() - start, matched: 0, hidden };
    }, chip));
  }
  await context.close();
  return times;
}

const { server, base } = await serve(out);
const browser = await launch();
try {
  const visits = [];
  for (let i = 0; i < runs; i++) visits.push(await visit(browser, base + page));
  console.log(`${page} in ${out}: ${visits[0][0].papers} papers; CPU / ${cpu}; median of ${runs}` +
    (extraCss ? `; with ${extraCss}` : ''));
  const names = [...FILTERS.map((f) => f.name), 'baseline: a category chip', 'baseline: the chip "All"']
    .slice(0, visits[0].length);
  names.forEach((name, i) => {
    const scripts = visits.map((v) => v[i].script);
    const frame = median(visits.map((v) => v[i].frame));
    const { matched, hidden } = visits[0][i];
    console.log(`  ${name}: script ${median(scripts).toFixed(1)} ms (best ${Math.min(...scripts).toFixed(1)}), ` +
      `next frame ${frame.toFixed(1)} ms (${matched} match, ${hidden} hidden)${i === 0 ? ', the page read first' : ''}`);
  });
} finally {
  await browser.close();
  server.close();
}
