// Debian's Chromium, headless, as every browser test and script starts it:
// the same binary and flags, so a page behaves alike in each.

import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

/** Launches Chromium; `options` are Playwright's (`timeout`, ...). */
export function launch(options = {}) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, ...options });
}

/** A persistent context in `profile`, with `args` added to the flags. */
export function launchPersistent(profile, { args = [], ...options } = {}) {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...args], ...options,
  });
}
