// quire default theme: the colour scheme and language toggles, the category
// filter and keyboard keys of a digest, "copy BibTeX", and the search page's
// notice when it is opened from disk. No dependencies;
// every page reads fine without it.
//
// Loaded in <head> without `defer`: the first lines apply the remembered
// choices to <html> (data-theme, data-lang) before anything is painted, and
// the rest waits for the page.
(() => {
  'use strict';
  const root = document.documentElement;
  const THEME_KEY = 'quire-theme'; // "light" or "dark"; absent: follow the system
  const LANG_KEY = 'quire-lang'; // "translated" or "original"; absent: both

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

  /** The dark mode button: pressed when the page is dark. */
  function themeToggle() {
    const button = document.querySelector('[data-theme-toggle]');
    if (!button) return;
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
    button.hidden = false;
  }

  /** Translated, original or both: one button pressed at a time. */
  function langToggle() {
    const group = document.querySelector('[data-lang-toggle]');
    if (!group) return;
    const buttons = [...group.querySelectorAll('button[data-lang-mode]')];
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

  /** Category chips: hide the rows and details of papers not in a category. */
  function categoryFilter() {
    const chips = document.querySelector('[data-filter]');
    if (!chips) return;
    const items = [...document.querySelectorAll('main [data-categories]')].map((el) => {
      let categories = [];
      try {
        categories = JSON.parse(el.dataset.categories);
      } catch {
        // Shown whatever the filter.
      }
      return { el, categories: Array.isArray(categories) ? categories : [] };
    });
    const papers = items.filter((i) => i.el.matches('article'));
    const count = document.getElementById('paper-count');
    const allText = count ? count.textContent : '';
    const buttons = [...chips.querySelectorAll('button[data-category]')];
    const apply = (category) => {
      for (const { el, categories } of items) el.hidden = category !== '' && !categories.includes(category);
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.category === category));
      if (count) {
        const shown = papers.filter((p) => !p.el.hidden).length;
        count.textContent = category === ''
          ? allText
          : count.dataset.textShown.replace('{n}', shown).replace('{total}', papers.length);
      }
    };
    for (const b of buttons) b.addEventListener('click', () => apply(b.dataset.category));
    chips.hidden = false;
  }

  const typing = (el) =>
    el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

  /** `j`/`k`: focus the next/previous paper shown; `/`: focus the search box. */
  function keys() {
    const papers = () => [...document.querySelectorAll('article.paper')].filter((a) => !a.hidden);
    if (papers().length > 1) {
      const hint = document.querySelector('[data-keys-hint]');
      if (hint) hint.hidden = false;
    }
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

  /** "Copy BibTeX": the clipboard if allowed, else the entry shown and selected. */
  function copyButtons() {
    const buttons = document.querySelectorAll('button[data-bibtex]');
    if (buttons.length === 0) return;
    const announce = announcer();
    const select = (pre) => {
      const details = pre.closest('details');
      if (details) details.open = true;
      const range = document.createRange();
      range.selectNodeContents(pre);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      pre.scrollIntoView({ block: 'nearest' });
    };
    for (const button of buttons) {
      const label = button.textContent;
      let timer;
      const tell = (text) => {
        button.textContent = text;
        announce(text);
        clearTimeout(timer);
        timer = setTimeout(() => {
          button.textContent = label;
        }, 2500);
      };
      button.addEventListener('click', async () => {
        const pre = document.getElementById(button.dataset.bibtex);
        if (!pre) return;
        const text = pre.textContent;
        try {
          if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
          await navigator.clipboard.writeText(text);
          tell(button.dataset.textCopied);
        } catch {
          select(pre);
          let copied = false;
          try {
            copied = document.execCommand('copy');
          } catch {
            // The selection stays for the reader to copy.
          }
          tell(copied ? button.dataset.textCopied : button.dataset.textSelected);
        }
      });
      button.hidden = false;
    }
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

  const start = () => {
    searchOffline();
    themeToggle();
    langToggle();
    categoryFilter();
    keys();
    copyButtons();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
