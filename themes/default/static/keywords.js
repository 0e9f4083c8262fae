// quire default theme, a reader's keywords: words and authors to highlight
// and words to hide, on digests, lists and search results, saved in this
// browser's localStorage or given by a digest's address
// (`?include=a,b&author=c&exclude=d`); nothing is sent anywhere.
//
// theme.js imports this module only when a page needs it (saved keywords,
// keywords in the address, the "My keywords" form opened) and hands it what
// they share. Every text comes from the page (`template#quire-reader`).

import { fold } from './search.js';

/** What theme.js shares; set by `start`. */
let theme;
/** The page's texts (the dataset of `template#quire-reader`). */
let texts = {};

/** Applies the keywords to the page, and again to each page of search
 *  results. Returns what theme.js calls on a click. */
export function start(shared) {
  theme = shared;
  texts = document.getElementById('quire-reader')?.dataset ?? {};
  applyFilter();
  watchResults();
  return { togglePanel };
}

const WORDS = ['include', 'authors', 'exclude'];

/** Words of a field or a link: separated by commas (`,`, `，`, `、`). */
const words = (text) => (typeof text === 'string' ? text.split(/[,，、]/).map((w) => w.trim()).filter(Boolean) : []);

/** The saved keywords: `{include, authors, exclude, only}`. */
function saved() {
  let raw;
  try {
    raw = JSON.parse(theme.load(theme.keys.filter) || '{}') || {};
  } catch {
    raw = {};
  }
  const list = (v) => (Array.isArray(v) ? v.filter((w) => typeof w === 'string' && w.trim()) : []);
  return { include: list(raw.include), authors: list(raw.authors), exclude: list(raw.exclude), only: raw.only === true };
}

/** The keywords a digest's address gives (`?include=a,b&author=c&exclude=d`),
 *  which show only the papers they match; null without any. */
function linked() {
  if (!document.querySelector('[data-reader-open]')) return null;
  const query = new URLSearchParams(location.search);
  if (!['include', 'author', 'exclude'].some((k) => query.has(k))) return null;
  const filter = { include: words(query.get('include')), authors: words(query.get('author')), exclude: words(query.get('exclude')) };
  return { ...filter, only: filter.include.length + filter.authors.length > 0, linked: true };
}

/** `text` as a regular expression that matches it as it is. */
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a match may start: a word in a Latin script starts after a
 *  character that is not part of one (`gan` is not found in `organ`). */
const LATIN = /[a-z0-9\u00c0-\u024f]/;
const needsStart = (word) => LATIN.test(word[0]);

/**
 * The folded text of some papers' fields, in one string: text nodes of
 * their titles, summaries and abstracts (or of their authors), folded
 * (search.js's rule), one after another, with a line break between fields.
 * A word is found once in the whole string, and its place leads back to its
 * paper and text node.
 */
class Corpus {
  constructor() {
    this.parts = [];
    this.length = 0;
    this.nodes = [];
    this.starts = [];
    this.owners = [];
  }

  /** Adds text node `node`, shown by `paper`, as `folded`. */
  push(node, folded, paper) {
    this.nodes.push(node);
    this.starts.push(this.length);
    this.owners.push(paper);
    this.parts.push(folded);
    this.length += folded.length;
    // A fold that changed the length (rare: `İ`, Hangul) is mapped back character by character.
    if (folded.length !== node.data.length) (this.inexact ??= new Set()).add(this.nodes.length - 1);
  }

  /** Ends a field: no word is found across two. */
  end() {
    if (this.parts.at(-1) === '\n') return;
    this.parts.push('\n');
    this.length += 1;
  }

  finish() {
    this.text = this.parts.join('');
    this.parts = null;
    this.starts = Int32Array.from(this.starts);
  }

  /** The text node holding place `at` of the string, from node `from` on. */
  nodeAt(at, from = 0) {
    let lo = from;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Where in node `n`'s own text place `at` of its folded text is. */
  offset(n, at) {
    const local = at - this.starts[n];
    if (!this.inexact?.has(n)) return local;
    const chars = Array.from(this.nodes[n].data);
    let folded = 0;
    let offset = 0;
    for (const c of chars) {
      if (folded >= local) break;
      folded += fold(c).length;
      offset += c.length;
    }
    return offset;
  }

  /** Every place of each word (a space in it matches any white space):
   *  calls `found(paper, start, end)`, in order of place for each word. */
  find(list, found) {
    const text = this.text;
    for (const word of new Set(list.map((w) => fold(w).trim().split(/\s+/).join(' ')))) {
      const start = needsStart(word);
      const spaced = word.includes(' ') && new RegExp(word.split(' ').map(escape).join('\\s+'), 'g');
      const next = spaced
        ? () => {
          const m = spaced.exec(text);
          return m && [m.index, m.index + m[0].length];
        }
        : (from) => {
          const at = text.indexOf(word, from);
          return at < 0 ? null : [at, at + word.length];
        };
      let node = 0;
      for (let place = next(0); place; place = next(place[0] + 1)) {
        const [at, end] = place;
        if (start && at > 0 && LATIN.test(text[at - 1])) continue;
        node = this.nodeAt(at, node);
        found(this.owners[node], at, end);
      }
    }
  }

  /** The page's range of `start..end` of the string. */
  range(start, end) {
    const a = this.nodeAt(start);
    const b = this.nodeAt(end - 1);
    return new StaticRange({
      startContainer: this.nodes[a],
      startOffset: this.offset(a, start),
      endContainer: this.nodes[b],
      endOffset: this.offset(b, end),
    });
  }
}

/** Where a paper's words are read: its titles, summary and abstract (in its
 *  details, its digest row, a list or a search result); its authors apart. */
const TEXT_FIELDS = '.paper-title, .tldr, .abstract > div, td.title, td.summary, '
  + '.paper-list > li > a, .search-title, .search-original, .search-summary';
const AUTHOR_FIELDS = '.authors';

/** Adds the text nodes of `field`, shown by `paper`: to `narrow` when
 *  their folded text is Latin-1 (a string of bytes, which is searched
 *  fastest: most of an English abstract), else to `wide`. */
function add(field, paper, narrow, wide = narrow) {
  const walker = document.createTreeWalker(field, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = node.data;
    const ascii = !/[^\x00-\x7f]/.test(data);
    const folded = ascii ? data.toLowerCase() : fold(data);
    (ascii || !/[^\x00-\xff]/.test(folded) ? narrow : wide).push(node, folded, paper);
  }
  narrow.end();
  wide.end();
}

/** Yields to the page: what is read in slices never holds it for long. */
const pause = () => (window.scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve)));

/** The papers of the page, with their text, read about 10 ms at a time:
 *  those named by `data-paper` (a digest's row and details are one paper)
 *  and each item of a list of papers. */
async function index() {
  const papers = new Map();
  const narrow = new Corpus();
  const wide = new Corpus();
  const authors = new Corpus();
  let slice = performance.now();
  for (const el of document.querySelectorAll('main [data-paper], main .paper-list > li')) {
    const id = el.dataset.paper ?? el;
    let paper = papers.get(id);
    if (!paper) papers.set(id, (paper = { els: [], hidden: false, match: false }));
    paper.els.push(el);
    for (const field of el.querySelectorAll(TEXT_FIELDS)) add(field, paper, narrow, wide);
    for (const field of el.querySelectorAll(AUTHOR_FIELDS)) add(field, paper, authors);
    if (performance.now() - slice > 10) {
      await pause();
      slice = performance.now();
    }
  }
  [narrow, wide, authors].forEach((c) => c.finish());
  return { papers, narrow, wide, authors, near: nearness(papers) };
}

/**
 * Which papers are near the window (a screen above or below it), kept up to
 * date as the reader scrolls: only their words are marked, and a paper's
 * are marked as it comes near, so a word found in all 1,200 papers of a
 * digest costs no more than in those a reader sees.
 */
function nearness(papers) {
  const owners = new Map();
  for (const paper of papers.values()) {
    paper.near = 0;
    for (const el of paper.els) owners.set(el, paper);
  }
  const seen = new Set();
  const near = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      if (isIntersecting === seen.has(target)) continue;
      const paper = owners.get(target);
      if (isIntersecting) seen.add(target);
      else seen.delete(target);
      paper.near += isIntersecting ? 1 : -1;
      if (isIntersecting) mark(paper);
    }
  }, { rootMargin: '100% 0px' });
  owners.forEach((_, el) => near.observe(el));
  return near;
}

/** The page's papers once read (`index`), and while they are being read. */
let page = null;
let reading = null;
let status = null;

/** Starts reading the page's papers, if it has not; applies the keywords
 *  once they are read. */
function read() {
  if (reading) return;
  const current = index().then((found) => {
    if (reading !== current) return found.near.disconnect(); // The page changed while it was read.
    page = found;
    applyFilter();
  });
  reading = current;
}

/** Applies the link's keywords, else the saved ones: matches are
 *  highlighted (and marked `data-match`), excluded papers and, with
 *  "only", the others are hidden (`data-filtered`); a digest says how many
 *  of its papers match. The page's papers are read first, once. */
function applyFilter() {
  const filter = linked() ?? saved();
  const active = WORDS.some((k) => filter[k].length > 0);
  if (!page) {
    if (active) read();
    return;
  }
  const { papers, narrow, wide, authors } = page;
  for (const paper of papers.values()) {
    paper.matched = false;
    paper.excluded = false;
    paper.words = null;
    paper.marked = false;
  }
  // A word of Latin-1 may be in either text; any other, only in the wide one.
  const text = (list, found) => {
    narrow.find(list.filter((w) => !/[^\x00-\xff]/.test(fold(w))), found(narrow));
    wide.find(list, found(wide));
  };
  text(filter.exclude, () => (paper) => {
    paper.excluded = true;
  });
  // A paper that matches is shown unless excluded: its words are marked (`mark`).
  const keep = (corpus) => (paper, start, end) => {
    paper.matched = true;
    if (HIGHLIGHTS && !paper.excluded) (paper.words ??= []).push(corpus, start, end);
  };
  text(filter.include, keep);
  authors.find(filter.authors, keep(authors));
  const positive = filter.include.length + filter.authors.length > 0;
  let matched = 0;
  let hidden = 0;
  for (const paper of papers.values()) {
    const hide = paper.excluded || (filter.only && positive && !paper.matched);
    const match = paper.matched && !paper.excluded;
    // Only what changed is written: each change has the page's style looked at again.
    if (hide !== paper.hidden) paper.els.forEach((el) => el.toggleAttribute('data-filtered', hide));
    if (match !== paper.match) paper.els.forEach((el) => el.toggleAttribute('data-match', match));
    paper.hidden = hide;
    paper.match = match;
    matched += match;
    hidden += hide;
  }
  if (HIGHLIGHTS) {
    marks = new Highlight();
    CSS.highlights.set('quire-match', marks);
    for (const paper of papers.values()) if (paper.near) mark(paper);
  }
  tell(filter, positive && matched, hidden, papers.size);
}

/** Whether words are marked with the CSS Custom Highlight API: no element
 *  is added, so a page of 1,200 papers stays as it is. Browsers without it
 *  still mark the papers that match (`data-match`). */
const HIGHLIGHTS = Boolean(window.Highlight && CSS.highlights);
/** The words marked on the page. */
let marks = null;

/** Marks the words a shown paper matches, once. */
function mark(paper) {
  if (!marks || !paper.words || paper.marked || paper.hidden) return;
  paper.marked = true;
  const words = paper.words;
  for (let i = 0; i < words.length; i += 3) marks.add(words[i].range(words[i + 1], words[i + 2]));
}

/** The digest's line under its count: how many papers match, how many are
 *  hidden, and whether the keywords come from the link. */
function tell(filter, matched, hidden, total) {
  const count = document.getElementById('paper-count');
  if (!count) return;
  if (!status) {
    status = document.createElement('p');
    status.className = 'count reader-status';
    status.setAttribute('role', 'status');
    (document.querySelector('[data-reader-open]') || count).after(status);
  }
  const parts = [];
  if (matched !== false) parts.push(theme.say(texts, 'matches', matched, total));
  if (hidden) parts.push(theme.say(texts, 'hidden', hidden, total));
  status.replaceChildren(parts.join(' · '));
  if (filter.linked) {
    const own = document.createElement('a');
    own.href = location.pathname;
    own.textContent = texts.own || '';
    status.prepend(`${texts.fromLink || ''}: `);
    status.append(' ', own);
  }
  status.hidden = status.textContent.trim() === '';
}

/** Search results come a page at a time: each is read as it comes. */
function watchResults() {
  const results = document.querySelector('.search-results');
  if (!results) return;
  new MutationObserver(() => {
    page?.near.disconnect();
    page = null;
    reading = null;
    applyFilter();
  }).observe(results, { childList: true });
}

/** The digest's "My keywords" form: opened under its tools, filled with
 *  the saved keywords; saving or clearing applies them at once. */
function togglePanel(button) {
  let form = document.getElementById('reader-panel');
  if (!form) {
    form = document.getElementById('quire-reader').content.querySelector('form').cloneNode(true);
    form.hidden = true;
    button.parentElement.append(form);
    button.setAttribute('aria-controls', form.id);
    const fill = (filter) => {
      for (const k of WORDS) form.elements[k].value = filter[k].join(', ');
      form.elements.only.checked = filter.only;
    };
    const keep = (filter) => {
      const empty = WORDS.every((k) => filter[k].length === 0);
      theme.save(theme.keys.filter, empty ? null : JSON.stringify(filter));
      // The reader's own keywords from now on, not the link's.
      if (linked()) history.replaceState(null, '', location.pathname + location.hash);
      fill(saved());
      applyFilter();
    };
    fill(saved());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const filter = Object.fromEntries(WORDS.map((k) => [k, words(form.elements[k].value)]));
      keep({ ...filter, only: form.elements.only.checked });
    });
    form.querySelector('[data-reader-clear]').addEventListener('click', () => {
      keep({ include: [], authors: [], exclude: [], only: false });
    });
  }
  form.hidden = !form.hidden;
  button.setAttribute('aria-expanded', String(!form.hidden));
  // Read the page while the reader types.
  read();
  if (!form.hidden) form.elements.include.focus();
}
