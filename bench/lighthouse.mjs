// Lighthouse's mobile performance audit of built pages, as GitHub Pages
// serves them (gzipped), with applied throttling: Chromium's CPU slowed 4
// times and a slow 4G link, both applied while the page loads
// (`--throttling-method=devtools`), so a page that streams its HTML paints
// as a browser would paint it. Lighthouse's default (simulated) throttling
// counts the whole document's download before the first paint instead.
//
//   node bench/lighthouse.mjs OUT PATH... [--runs 5] [--json FILE] [--reports DIR]
//   node bench/lighthouse.mjs target/bench/out /digest/2023-01-02/ /paper/2301.00001/ --runs 5
//
// Prints, per page, the median of the runs: the performance score, Total
// Blocking Time, First and Largest Contentful Paint, Speed Index, the
// elements in the page, and the bytes transferred (the page's and all).
// `--json` writes those figures, `--reports` each run's whole Lighthouse
// report (where the main thread's time went, the long tasks...) and its
// trace (`NAME.trace.json`; `python3 bench/long_tasks.py` reads it).
// Needs `npm ci` in bench/ (Lighthouse 12, pinned in package-lock.json)
// and Chromium at /usr/bin/chromium. The machine's load changes the
// figures: say it (`uptime`) beside them.

import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { createGzip } from 'node:zlib';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

// The content types the browser tests' server sends (no package needed).
import { TYPES } from '../tests/browser/static-server.mjs';

const CHROMIUM = '/usr/bin/chromium';
// The flags every browser test starts Chromium with (tests/browser/chromium.mjs).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

// What GitHub Pages compresses: text, not fonts or images.
const COMPRESSED = new Set(['.html', '.css', '.js', '.json', '.xml', '.svg']);

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args.splice(i, 2)[1];
};
const runs = Number(option('runs', 5));
const jsonOut = option('json', null);
const reports = option('reports', null);
const [out, ...pages] = args;
if (!out || pages.length === 0) {
  console.error('usage: node bench/lighthouse.mjs OUT PATH... [--runs N] [--json FILE] [--reports DIR]');
  process.exit(2);
}

/** Serves `dir` on loopback, gzipping text when the browser asks for it. */
async function serve(dir) {
  const root = path.resolve(dir);
  const server = http.createServer(async (req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    let file = path.join(root, path.normalize(rel));
    let status = 200;
    if (!file.startsWith(root + path.sep) || !(await stat(file).catch(() => null))?.isFile()) {
      file = path.join(root, '404.html');
      status = 404;
    }
    const ext = path.extname(file);
    const headers = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'max-age=600' };
    const gzip = COMPRESSED.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (gzip) headers['content-encoding'] = 'gzip';
    res.writeHead(status, headers);
    const body = createReadStream(file);
    if (gzip) body.pipe(createGzip({ level: 6 })).pipe(res);
    else body.pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== undefined && x !== null).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One Lighthouse run of `url`: the figures this script prints. */
async function audit(url) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: FLAGS });
  try {
    const result = await lighthouse(url, {
      port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'],
      formFactor: 'mobile', throttlingMethod: 'devtools',
    });
    if (reports) {
      await mkdir(reports, { recursive: true });
      const name = `${new URL(url).pathname.replace(/\W+/g, '-')}${Date.now()}`;
      await writeFile(path.join(reports, `${name}.json`), result.report);
      await writeFile(path.join(reports, `${name}.trace.json`), JSON.stringify(result.artifacts.Trace));
    }
    const { audits, categories } = result.lhr;
    const requests = audits['network-requests'].details.items;
    const doc = requests.find((r) => r.resourceType === 'Document');
    return {
      score: Math.round(categories.performance.score * 100),
      tbt: audits['total-blocking-time'].numericValue,
      fcp: audits['first-contentful-paint'].numericValue,
      lcp: audits['largest-contentful-paint'].numericValue,
      si: audits['speed-index'].numericValue,
      cls: audits['cumulative-layout-shift'].numericValue,
      dom: audits['dom-size'].numericValue,
      pageKiB: (doc?.transferSize ?? 0) / 1024,
      totalKiB: audits['total-byte-weight'].numericValue / 1024,
      fontKiB: requests.filter((r) => r.resourceType === 'Font').reduce((n, r) => n + r.transferSize, 0) / 1024,
    };
  } finally {
    await chrome.kill();
  }
}

const { server, base } = await serve(out);
const rows = [];
try {
  for (const page of pages) {
    const each = [];
    for (let i = 0; i < runs; i++) {
      each.push(await audit(base + page));
      process.stderr.write(`${page} run ${i + 1}: score ${each.at(-1).score}, TBT ${Math.round(each.at(-1).tbt)} ms\n`);
    }
    const m = (key) => median(each.map((r) => r[key]));
    rows.push({
      page, runs, score: m('score'), scores: each.map((r) => r.score), tbt: m('tbt'), fcp: m('fcp'), lcp: m('lcp'),
      si: m('si'), cls: m('cls'), dom: m('dom'), pageKiB: m('pageKiB'), totalKiB: m('totalKiB'), fontKiB: m('fontKiB'),
    });
  }
} finally {
  server.close();
}

const fmt = (x, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log('| page | score (runs) | TBT ms | FCP s | LCP s | SI s | CLS | elements | page KiB | total KiB | font KiB |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.page} | ${r.score} (${r.scores.join(', ')}) | ${fmt(r.tbt)} | ${fmt(r.fcp / 1000, 2)} | ` +
    `${fmt(r.lcp / 1000, 2)} | ${fmt(r.si / 1000, 2)} | ${fmt(r.cls, 3)} | ${fmt(r.dom)} | ${fmt(r.pageKiB, 1)} | ${fmt(r.totalKiB, 1)} | ${fmt(r.fontKiB, 1)} |`);
}
if (jsonOut) await writeFile(jsonOut, JSON.stringify(rows, null, 2) + '\n');
