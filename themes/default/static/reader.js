// quire default theme, a reader's own digest: the stars (and the page of
// starred papers, starred.js) and what is new since the last visit. What a
// reader chooses stays in this browser's localStorage; nothing is sent
// anywhere. Their keywords are keywords.js's.
//
// theme.js imports this module only when a page needs it (a star clicked,
// the starred papers' page, a newer digest) and hands it what the two
// share: storage, the star buttons, BibTeX and the clipboard. Every text
// comes from the page (`template#quire-reader`); untrusted text is only
// ever set as text.

/** What theme.js shares; set by `start`. */
let theme;
/** The page's texts (the dataset of `template#quire-reader`). */
let texts = {};

/** Starts the page's part once: what is new, the starred papers' page.
 *  Returns what theme.js calls on a click. */
export function start(shared) {
  theme = shared;
  texts = document.getElementById('quire-reader')?.dataset ?? {};
  markNew();
  if (document.querySelector('[data-starred]')) import('./starred.js').then((m) => m.show(theme));
  return { toggleStar };
}

// ---------------------------------------------------------------- stars --

/** The starred papers kept in this browser, newest first, each checked. */
export function readStars() {
  try {
    const list = JSON.parse(theme.load(theme.keys.stars) || '[]');
    return Array.isArray(list) ? list.map(starRecord).filter(Boolean) : [];
  } catch {
    return [];
  }
}

export function writeStars(list) {
  theme.save(theme.keys.stars, list.length ? JSON.stringify(list) : null);
}

/** `href` as a path of this site (`/repo/paper/x/`, with its `#hash`), or
 *  null: a star's links, which may come from an imported file, never
 *  leave the site. */
function sitePath(href) {
  if (typeof href !== 'string') return null;
  try {
    const url = new URL(href, location.href);
    const here = url.origin === location.origin && url.pathname.startsWith(theme.keys.base);
    return here && /^https?:$/.test(url.protocol) ? url.pathname + url.hash : null;
  } catch {
    return null;
  }
}

/** A paper's page from its details in a digest (`.../digest/KEY/#paper-SLUG`
 *  -> `.../paper/SLUG/`), as the content contract places both (with
 *  `relative_urls`, links name `index.html`). */
function pageOf(link) {
  const m = link && /^(.*\/)digest\/[^/#]+\/(index\.html)?#paper-([^/#]+)$/.exec(link);
  return m ? `${m[1]}paper/${m[3]}/${m[2] ?? ''}` : null;
}

/**
 * A starred paper as it is kept: `{id, title, translated_title, link,
 * page}`, plain text and paths of this site; null for anything else (a
 * stored or imported value is checked again each time it is read).
 */
export function starRecord(raw) {
  const text = (v) => (typeof v === 'string' && v.trim() ? v.replace(/\s+/g, ' ').trim().slice(0, 2000) : null);
  const id = raw && text(raw.id);
  if (!id || id.length > 300) return null;
  const link = sitePath(raw.link);
  const page = sitePath(raw.page) ?? pageOf(link);
  if (!link && !page) return null;
  return { id, title: text(raw.title) ?? id, translated_title: text(raw.translated_title), link, page };
}

/** Papers let go of in this page, to star them again as they were. */
const unstarred = new Map();

/** What a star button's paper is, from the page that shows it: its details
 *  (a digest, its own page) or its search result. */
function describe(button, id) {
  const text = (el) => el && el.textContent;
  const article = document.querySelector(`article[data-paper="${CSS.escape(id)}"]`);
  if (article) {
    const title = article.querySelector('.paper-title');
    const translated = title.querySelector('.lang-tr');
    const original = title.querySelector('.original-title') || title.querySelector(':scope > span:not(.lang-tr)');
    const page = article.querySelector('a.paper-page');
    // On a digest, its details are here; on its own page, in the digest the crumbs link to.
    const digest = page ? location.href : document.querySelector('.crumbs a')?.href;
    const link = digest && new URL(`#${article.id}`, digest).href;
    return { id, title: text(original), translated_title: text(translated), link, page: page ? page.href : location.pathname };
  }
  const result = button.closest('li[data-paper]');
  const shown = result?.querySelector('.search-title');
  const original = result?.querySelector('.search-original');
  if (shown) return { id, title: text(original ?? shown), translated_title: original && text(shown), link: shown.href };
  return unstarred.get(id);
}

/** Stars or unstars a button's paper; every button of that paper follows.
 *  Returns whether it is starred now. */
function toggleStar(button) {
  const id = button.dataset.star;
  const list = readStars();
  const at = list.findIndex((s) => s.id === id);
  if (at >= 0) {
    unstarred.set(id, list[at]);
    list.splice(at, 1);
  } else {
    const star = starRecord(describe(button, id));
    if (!star) return false;
    list.unshift(star);
  }
  writeStars(list);
  const on = at < 0;
  for (const b of document.querySelectorAll(`button[data-star="${CSS.escape(id)}"]`)) {
    b.setAttribute('aria-pressed', String(on));
  }
  document.dispatchEvent(new CustomEvent('quire:stars'));
  return on;
}

// ------------------------------------------------------------- new ------

/** Marks the digests newer than this visit's baseline (theme.js keeps it
 *  for the tab) and their papers, and says how many there are: on the
 *  home page, each new digest; on a new digest's page, all its papers. */
function markNew() {
  let since = null;
  try {
    since = sessionStorage.getItem(theme.keys.seen);
  } catch {
    return;
  }
  const fresh = since ? [...document.querySelectorAll('[data-digest]')].filter((el) => el.dataset.digest > since) : [];
  if (fresh.length === 0) return;
  for (const el of fresh) {
    el.dataset.new = '';
    const badge = document.createElement('span');
    badge.className = 'new-badge';
    badge.textContent = texts.new || '';
    (el.querySelector('h2') || el).append(' ', badge);
  }
  const papers = theme.say(texts, 'newPapers', fresh.reduce((n, el) => n + (Number(el.dataset.count) || 0), 0));
  // A digest's own page says how many of its papers are new; a list, of how many digests too.
  const onItsPage = fresh[0].tagName === 'H1';
  const text = (onItsPage ? texts.newSince : texts.newSinceDigests) || '';
  const note = document.createElement('p');
  note.className = 'new-since';
  note.textContent = text.replace('{digests}', theme.say(texts, 'newDigests', fresh.length)).replace('{papers}', papers);
  document.querySelector('main h1').after(note);
}
