// quire default theme: the colour scheme and language toggles, the category
// filter and keyboard keys of a digest, "copy BibTeX", and the search page's
// notice when it is opened from disk. No dependencies;
// every page reads fine without it.
//
// Loaded in <head> without `defer`: the first lines apply the remembered
// choices to <html> (data-theme, data-lang) before anything is painted, and
// the rest waits for the page.
//
// A reader's own digest lives in modules imported only when a page needs
// them: keywords.js when the reader has saved keywords or opens the form,
// reader.js when they star a paper or a digest appeared since their last
// visit. Here are only the checks and the star buttons.
(() => {
  'use strict';
  const root = document.documentElement;
  const THEME_KEY = 'quire-theme'; // "light" or "dark"; absent: follow the system
  const LANG_KEY = 'quire-lang'; // "translated" or "original"; absent: both
  const SCRIPT = document.currentScript && document.currentScript.src;
  // Browsers load no module into a page opened from disk.
  const MODULES = Boolean(SCRIPT) && location.protocol !== 'file:';
  // A reader's own choices are kept per site: sites on one host
  // (user.github.io/a/ and /b/) share its storage.
  const SITE = SCRIPT ? new URL('.', SCRIPT).pathname : '/';
  const KEYS = {
    base: SITE,
    stars: `quire-stars:${SITE}`, // starred papers, newest first (reader.js)
    filter: `quire-filter:${SITE}`, // the reader's keywords (reader.js)
    seen: `quire-seen:${SITE}`, // the newest digest this browser was shown
  };

  // localStorage throws where storage is blocked: then nothing is remembered.
  const load = (key) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  };
  const save = (key, value) => {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // Not remembered; the page still changes.
    }
  };

  const setTheme = (theme) => {
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
    else delete root.dataset.theme;
  };
  const setLang = (lang) => {
    if (lang === 'translated' || lang === 'original') root.dataset.lang = lang;
    else delete root.dataset.lang;
  };
  setTheme(load(THEME_KEY));
  setLang(load(LANG_KEY));

  const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
  const isDark = () => root.dataset.theme === 'dark' || (!root.dataset.theme && systemDark.matches);

  /** The dark mode button, made in the place that gives its label: pressed
   *  when the page is dark. */
  function themeToggle() {
    const place = document.querySelector('[data-dark-mode]');
    if (!place) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'theme-toggle';
    button.dataset.themeToggle = '';
    button.setAttribute('aria-label', place.dataset.darkMode);
    button.title = place.dataset.darkMode;
    button.innerHTML = '<span aria-hidden="true">◐</span>';
    place.append(button);
    const show = () => button.setAttribute('aria-pressed', String(isDark()));
    button.addEventListener('click', () => {
      const wanted = isDark() ? 'light' : 'dark';
      // Choosing what the system shows anyway goes back to following it.
      const follows = wanted === (systemDark.matches ? 'dark' : 'light');
      save(THEME_KEY, follows ? null : wanted);
      setTheme(follows ? null : wanted);
      show();
    });
    systemDark.addEventListener('change', show);
    show();
  }

  /** Translated, original or both: one button pressed at a time. The page
   *  gives the group its labels; its buttons are made here, where they work. */
  function langToggle() {
    const group = document.querySelector('[data-lang-toggle]');
    if (!group) return;
    const buttons = ['translated', 'original', 'both'].map((mode) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.langMode = mode;
      b.textContent = group.dataset[mode] || mode;
      return b;
    });
    group.replaceChildren(...buttons);
    const show = () => {
      const current = root.dataset.lang || 'both';
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.langMode === current));
    };
    for (const b of buttons) {
      b.addEventListener('click', () => {
        const mode = b.dataset.langMode === 'both' ? null : b.dataset.langMode;
        save(LANG_KEY, mode);
        setLang(mode);
        show();
      });
    }
    show();
    group.hidden = false;
  }

  /** Whether a paper is shown: neither a category chip nor the reader's
   *  keywords (`data-filtered`, reader.js) hide it. */
  const shown = (el) => !el.hidden && !el.hasAttribute('data-filtered');

  /** Category chips: hide the details of papers not in a category, and
   *  their rows (`ref-<slug>` for `paper-<slug>`). A paper names its
   *  categories by slug, separated by spaces. The chips work as soon as
   *  they are parsed; the papers are looked up when one is pressed. */
  function categoryFilter() {
    const chips = document.querySelector('[data-filter]');
    if (!chips) return;
    const count = document.getElementById('paper-count');
    const allText = count ? count.textContent : '';
    const buttons = [...chips.querySelectorAll('button[data-category]')];
    const apply = (category) => {
      const papers = document.querySelectorAll('main article[data-categories]');
      let visible = 0;
      for (const el of papers) {
        el.hidden = category !== '' && !el.dataset.categories.split(' ').includes(category);
        const row = document.getElementById('ref-' + el.id.replace(/^paper-/, ''));
        if (row) row.hidden = el.hidden;
        if (shown(el)) visible++;
      }
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.category === category));
      if (count) {
        count.textContent = category === ''
          ? allText
          : count.dataset.textShown.replace('{n}', visible).replace('{total}', papers.length);
      }
    };
    for (const b of buttons) b.addEventListener('click', () => apply(b.dataset.category));
    chips.hidden = false;
  }

  const typing = (el) =>
    el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

  /** `j`/`k`: focus the next/previous paper shown; `/`: focus the search box. */
  function keys() {
    const papers = () => [...document.querySelectorAll('article.paper')].filter(shown);
    // A digest of more than one paper gives the hint.
    const hint = document.querySelector('[data-keys-hint]');
    if (hint) hint.hidden = false;
    document.addEventListener('keydown', (e) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === '/') {
        const search = document.querySelector('input[type="search"]');
        if (!search) return;
        e.preventDefault();
        search.focus();
        search.select();
        return;
      }
      if (e.key !== 'j' && e.key !== 'k') return;
      const list = papers();
      if (list.length === 0) return;
      const current = list.findIndex((a) => a.contains(document.activeElement));
      let next;
      if (current >= 0) {
        next = list[current + (e.key === 'j' ? 1 : -1)];
      } else if (e.key === 'j') {
        // Nothing focused yet: the first paper below the top of the window.
        next = list.find((a) => a.getBoundingClientRect().top > 1) || list[list.length - 1];
      } else {
        next = list.filter((a) => a.getBoundingClientRect().top < -1).pop() || list[0];
      }
      if (!next) return;
      e.preventDefault();
      // Focusable by script only: the page does not make every paper a tab stop.
      next.tabIndex = -1;
      next.focus({ preventScroll: true });
      next.scrollIntoView({ block: 'start' });
    });
  }

  /** One polite live region for the messages of the copy buttons. */
  function announcer() {
    let region = document.getElementById('quire-status');
    if (!region) {
      region = document.createElement('p');
      region.id = 'quire-status';
      region.className = 'visually-hidden';
      region.setAttribute('role', 'status');
      (document.querySelector('main') || document.body).append(region);
    }
    return (text) => {
      region.textContent = text;
    };
  }

  /** Where an article's BibTeX entry is: the id of its `<pre>`
   *  (`bibtex-<slug>` for the article `paper-<slug>`), and the paper's page,
   *  which shows it (the article's `a.paper-page`; none on that page itself). */
  const bibtexOf = (article) => {
    const page = article.querySelector('a.paper-page');
    return { id: 'bibtex-' + article.id.replace(/^paper-/, ''), page: page && page.href };
  };

  /** The BibTeX entry of a paper, fetched from its page. */
  async function fetchBibtex({ id, page }) {
    const response = await fetch(page);
    if (!response.ok) throw new Error(`${page}: ${response.status}`);
    const html = new DOMParser().parseFromString(await response.text(), 'text/html');
    const pre = html.getElementById(id);
    if (!pre) throw new Error(`${page}: no BibTeX entry`);
    return pre.textContent;
  }

  /** Puts `text` (or what the promise gives) on the clipboard. A promise
   *  goes in a ClipboardItem where there is one, which keeps the click's
   *  permission to write while the entry is fetched (Safari needs this). */
  async function toClipboard(text) {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
    if (typeof text === 'string') return navigator.clipboard.writeText(text);
    if (window.ClipboardItem && navigator.clipboard.write) {
      const blob = text.then((t) => new Blob([t], { type: 'text/plain' }));
      return navigator.clipboard.write([new ClipboardItem({ 'text/plain': blob })]);
    }
    return navigator.clipboard.writeText(await text);
  }

  /** Selects the text of `pre`, opening the details it is in. */
  function select(pre) {
    const details = pre.closest('details');
    if (details) details.open = true;
    const range = document.createRange();
    range.selectNodeContents(pre);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    pre.scrollIntoView({ block: 'nearest' });
  }

  /** "Copy BibTeX" in each paper's links: the clipboard if allowed, else the
   *  entry shown and selected. The page gives the labels once
   *  (`data-copy-bibtex`); a paper's page opened at `#cite` shows its entry. */
  function copyButtons() {
    const cite = document.getElementById('cite');
    if (cite && location.hash === '#cite') cite.open = true;
    const texts = document.querySelector('[data-copy-bibtex]');
    if (!texts) return;
    const { copyBibtex: label, textCopied, textSelected } = texts.dataset;
    const announce = announcer();
    // Made as papers come near the screen, a group of them (`.papers`) at a
    // time: a digest of a thousand papers does not make a thousand buttons,
    // nor watch a thousand places, before the reader can scroll.
    const make = (links) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'copy-bibtex';
      button.textContent = label;
      links.append(' ', button);
    };
    const near = new IntersectionObserver((entries) => {
      for (const entry of entries.filter((e) => e.isIntersecting)) {
        near.unobserve(entry.target);
        entry.target.querySelectorAll('article.paper .links').forEach(make);
      }
    }, { rootMargin: '100% 0px' });
    const groups = document.querySelectorAll('.papers');
    if (groups.length) groups.forEach((group) => near.observe(group));
    else document.querySelectorAll('article.paper .links').forEach(make);
    const timers = new WeakMap();
    const tell = (button, text) => {
      button.textContent = text;
      announce(text);
      clearTimeout(timers.get(button));
      timers.set(button, setTimeout(() => {
        button.textContent = label;
      }, 2500));
    };
    document.addEventListener('click', async (e) => {
      const button = e.target instanceof Element && e.target.closest('button.copy-bibtex');
      if (!button) return;
      const article = button.closest('article');
      const where = bibtexOf(article);
      const pre = document.getElementById(where.id);
      if (!pre && !where.page) return;
      const entry = pre ? pre.textContent : fetchBibtex(where);
      try {
        await toClipboard(entry);
        tell(button, textCopied);
      } catch {
        let text;
        try {
          text = await entry;
        } catch {
          // Not fetched (offline, or opened from disk): the paper's page shows it.
          location.href = `${where.page}#cite`;
          return;
        }
        let shown = document.getElementById(where.id);
        if (!shown) {
          shown = document.createElement('pre');
          shown.className = 'bibtex';
          shown.id = where.id;
          shown.textContent = text;
          article.append(shown);
        }
        select(shown);
        let copied = false;
        try {
          copied = document.execCommand('copy');
        } catch {
          // The selection stays for the reader to copy.
        }
        tell(button, copied ? textCopied : textSelected);
      }
    });
  }

  /**
   * Opened from disk (file://), a page may not run search.js (a module) nor
   * fetch the index: the search page says so plainly instead of staying mute.
   */
  function searchOffline() {
    const form = document.querySelector('form[data-search-index]');
    if (!form || window.location.protocol !== 'file:') return;
    const status = document.getElementById(form.dataset.searchStatus);
    if (status) status.textContent = form.dataset.textOffline || '';
    for (const field of form.elements) field.disabled = true;
  }

  /** A text of the page for a count `n` (of `total`): its `...One` form for 1. */
  const say = (texts, key, n, total) =>
    ((n === 1 && texts[`${key}One`]) || texts[key] || '').replace('{n}', String(n)).replace('{total}', String(total));

  /** A module of the theme (`reader.js`, `keywords.js`), imported once, the
   *  first time a page needs it, and started with what it shares with this
   *  script; resolves to what it gives back. */
  const started = new Map();
  const withModule = (name) => {
    const shared = { keys: KEYS, load, save, say, fetchBibtex, toClipboard, select, starButton };
    if (!started.has(name)) started.set(name, import(new URL(name, SCRIPT).href).then((m) => m.start(shared)));
    return started.get(name);
  };

  /** Where a paper's star goes: a digest row's number cell, the links of
   *  its details (on a digest and on its page), a search result's date. */
  const STAR_PLACES = 'tr[data-paper] > td.ref, article[data-paper] .links, li[data-paper] > time';

  /** A star button for paper `id`, pressed when `on`. */
  function starButton(id, on) {
    const texts = document.getElementById('quire-reader');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'star';
    button.dataset.star = id;
    button.title = texts ? texts.dataset.star : '';
    button.setAttribute('aria-label', button.title);
    button.setAttribute('aria-pressed', String(on));
    return button;
  }

  /**
   * Stars: each paper's button is made when its place comes near the
   * window (a digest of 1,200 papers holds only those read), pressed for
   * the papers kept; a click imports reader.js, which keeps or lets go of
   * the paper (and says so with a `quire:stars` event). The menu links to
   * the starred papers once there are some (a link made here: without the
   * script the page would be empty); their page is reader.js's.
   */
  function stars() {
    const texts = document.getElementById('quire-reader');
    if (!MODULES || !texts) return;
    let kept;
    const link = document.createElement('a');
    link.href = `${SITE}starred/`;
    link.dataset.starredLink = '';
    link.textContent = texts.dataset.starredLabel;
    document.querySelector('header nav')?.append(' ', link);
    const read = () => {
      try {
        kept = new Set(JSON.parse(load(KEYS.stars) || '[]').map((s) => s.id));
      } catch {
        kept = new Set(); // Not a list: nothing is starred.
      }
      link.hidden = kept.size === 0;
    };
    read();
    document.addEventListener('quire:stars', read);
    if (document.querySelector('[data-starred]')) withModule('reader.js');
    const place = (at) => {
      const id = at.closest('[data-paper]').dataset.paper;
      const button = starButton(id, kept.has(id));
      if (at.tagName === 'TIME') at.after(' ', button);
      else at.append(' ', button);
    };
    // Placed as papers come near the screen: a digest's rows and papers in
    // their groups of 20 (`tbody`, `.papers`), one watched place a group.
    const near = new IntersectionObserver((entries) => {
      for (const e of entries.filter((e) => e.isIntersecting)) {
        near.unobserve(e.target);
        if (e.target.matches(STAR_PLACES)) place(e.target);
        else e.target.querySelectorAll(STAR_PLACES).forEach(place);
      }
    }, { rootMargin: '100% 0px' });
    const watched = new WeakSet();
    const observe = (target) => {
      if (!watched.has(target)) {
        watched.add(target);
        near.observe(target);
      }
    };
    // The groups, then the few places outside one (a paper's page, search
    // results): no walk over a thousand places before the reader can scroll.
    const groups = '.summary-table > tbody, .papers';
    const watch = (root) => {
      root.querySelectorAll(groups).forEach(observe);
      root.querySelectorAll(`:is(${STAR_PLACES}):not(:is(${groups}) *)`).forEach(observe);
    };
    watch(document);
    // Search results come later, a page of them at a time.
    const results = document.querySelector('.search-results');
    if (results) new MutationObserver(() => watch(results)).observe(results, { childList: true });
    document.addEventListener('click', async (e) => {
      const button = e.target instanceof Element && e.target.closest('button[data-star]');
      if (button) (await withModule('reader.js')).toggleStar(button);
    });
  }

  /** Saved keywords, or keywords in a digest's address
   *  (`?include=a,b&author=c&exclude=d`), are applied by keywords.js; a
   *  digest's "My keywords" button opens its form. */
  function keywords() {
    if (!MODULES) return;
    const open = document.querySelector('[data-reader-open]');
    if (open) {
      open.hidden = false;
      open.addEventListener('click', async () => (await withModule('keywords.js')).togglePanel(open));
    }
    const query = new URLSearchParams(location.search);
    const linked = open && ['include', 'author', 'exclude'].some((k) => query.has(k));
    if (load(KEYS.filter) || linked) withModule('keywords.js');
  }

  /**
   * New since the last visit: a visit (this tab, while it is open) compares
   * what it shows with the newest digest this browser had been shown when
   * it began; a page showing a newer one imports reader.js to mark it. The
   * first visit marks nothing. Digests are compared by key
   * (`2024-04-02`, `2024-W14`, `2024-04`), which sort by date.
   */
  function visits() {
    const keys = [...document.querySelectorAll('[data-digest]')].map((el) => el.dataset.digest);
    if (!MODULES || keys.length === 0) return;
    let since;
    try {
      since = sessionStorage.getItem(KEYS.seen);
      if (since === null) sessionStorage.setItem(KEYS.seen, (since = load(KEYS.seen) || ''));
    } catch {
      return; // No storage: no visits to compare.
    }
    const newest = keys.reduce((a, b) => (b > a ? b : a));
    if (newest > (load(KEYS.seen) || '')) save(KEYS.seen, newest);
    if (since && newest > since) withModule('reader.js');
  }

  /** Runs `wire` once the page is parsed. */
  const whenLoaded = (wire) => {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wire);
    else wire();
  };

  /** Runs `wire` once an element matches `selector`: as soon as the parser
   *  has added it (before the next frame is painted, so nothing moves under
   *  the reader's eyes while a long page is still arriving), or once the
   *  page is parsed if none does. */
  function whenParsed(selector, wire) {
    if (document.readyState !== 'loading' || document.querySelector(selector)) return wire();
    const watch = new MutationObserver(() => {
      if (document.querySelector(selector)) done();
    });
    const done = () => {
      watch.disconnect();
      document.removeEventListener('DOMContentLoaded', done);
      wire();
    };
    watch.observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', done);
  }

  // The header's toggles once <main> has begun; a digest's chips and keys
  // hint once its summary has begun (they are above it); the rest once the
  // page is there.
  whenParsed('main', () => {
    themeToggle();
    langToggle();
  });
  whenParsed('#summary', () => {
    categoryFilter();
    keys();
  });
  // Each in a task of its own: on a digest of a thousand papers, one task
  // for all of them would keep a slow phone from answering a tap.
  whenLoaded(() => {
    for (const wire of [searchOffline, copyButtons, stars, keywords, visits]) setTimeout(wire);
  });
})();
