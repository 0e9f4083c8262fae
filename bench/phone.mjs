// How a page opens and scrolls on a phone: headless Chromium at 390 x 844
// (a touch screen, 3 device pixels a CSS pixel), its CPU slowed 4 times and,
// with --network, a slow 4G link (1.6 Mbit/s, 150 ms), both through the
// DevTools protocol. A built site is served from a folder.
//
//   node bench/phone.mjs OUT PATH [--runs 3] [--cpu 4] [--network slow4g] [--step 400]
//   node bench/phone.mjs target/bench/out-new /digest/2023-01-02/ --runs 5
//
// Prints, as the median of the runs: the page's bytes (as served, and
// gzipped as GitHub Pages sends it), its papers, first paint and first
// contentful paint, the largest contentful paint, DOMContentLoaded and load,
// the longest task while loading, and, scrolling to the bottom `--step` CSS pixels
// a frame, the median, 95th percentile and longest frame and the share of
// frames over 50 ms. Needs the browser tests' packages (`cd tests/browser &&
// npm ci`) and Chromium at /usr/bin/chromium.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const browserTests = path.join(here, '../tests/browser');
const { launch } = await import(path.join(browserTests, 'chromium.mjs'));
const { serve } = await import(path.join(browserTests, 'static-server.mjs'));

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args.splice(i, 2)[1];
};
const runs = Number(option('runs', 3));
const cpu = Number(option('cpu', 4));
const network = option('network', 'none');
const stepPx = Number(option('step', 400));
const [out, page = '/'] = args;
if (!out) {
  console.error('usage: node bench/phone.mjs OUT PATH [--runs N] [--cpu RATE] [--network slow4g|none] [--step PX]');
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One visit: what loading and scrolling the page took. */
async function visit(browser, url) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
  });
  const tab = await context.newPage();
  await tab.addInitScript(() => {
    window.__longest = 0;
    window.__lcp = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  if (network === 'slow4g') {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9,
    });
  }
  await tab.goto(url, { waitUntil: 'load', timeout: 300_000 });
  const loaded = await tab.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
    return {
      fp: paint['first-paint'], fcp: paint['first-contentful-paint'], lcp: window.__lcp,
      dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, longest: window.__longest,
      papers: document.querySelectorAll('article.paper').length, height: document.documentElement.scrollHeight,
    };
  });
  // Scroll to the bottom, `stepPx` CSS pixels a frame (a quick flick), timing each frame.
  const frames = await tab.evaluate((stepPx) => new Promise((resolve) => {
    const times = [];
    let last = performance.now();
    const step = (now) => {
      times.push(now - last);
      last = now;
      const before = window.scrollY;
      window.scrollBy(0, stepPx);
      if (window.scrollY === before || times.length > 20_000) resolve(times.slice(1));
      else requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }), stepPx);
  await context.close();
  const sorted = [...frames].sort((a, b) => a - b);
  return {
    ...loaded,
    frameMedian: median(frames),
    frameP95: sorted[Math.floor(sorted.length * 0.95)],
    frameMax: sorted[sorted.length - 1],
    slowFrames: frames.filter((f) => f > 50).length / frames.length,
    frames: frames.length,
  };
}

const { server, base } = await serve(out);
const browser = await launch();
try {
  const file = path.join(out, page.endsWith('/') ? `${page}index.html` : page);
  const html = await readFile(file);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await visit(browser, base + page));
  const m = (key) => median(results.map((r) => r[key]));
  const ms = (key) => `${Math.round(m(key))} ms`;
  console.log(`${page} in ${out}: ${results[0].papers} papers, ${(html.length / 1e3).toFixed(1)} KB ` +
    `(${(gzipSync(html).length / 1e3).toFixed(1)} KB gzipped), ${results[0].height} px tall; ` +
    `CPU / ${cpu}, network ${network}, median of ${runs}`);
  console.log(`  first paint ${ms('fp')}, first contentful paint ${ms('fcp')}, largest ${ms('lcp')}, ` +
    `DOMContentLoaded ${ms('dcl')}, load ${ms('load')}, longest task ${ms('longest')}`);
  console.log(`  scrolling ${results[0].frames} frames: median ${m('frameMedian').toFixed(1)} ms, ` +
    `95th percentile ${m('frameP95').toFixed(1)} ms, longest ${ms('frameMax')}, ` +
    `over 50 ms: ${(m('slowFrames') * 100).toFixed(1)}%`);
} finally {
  await browser.close();
  server.close();
}
