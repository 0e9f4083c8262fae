// quire default theme, the page of starred papers (/starred/): the papers a
// reader starred on this site, as this browser keeps them (reader.js), with
// their BibTeX copied or downloaded in one file, and the list exported to a
// file and imported from one, to move it to another browser. Imported by
// reader.js on that page only.

import { readStars, writeStars, starRecord } from './reader.js';

/** The format of an exported list. */
const FORMAT = 'quire-starred';

/** A part of a path as it reads, or as written when it is no %-encoding. */
const decoded = (part) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/** Lists the starred papers and makes the page's tools work. */
export function show(theme) {
  const box = document.querySelector('[data-starred]');
  const texts = box.dataset;
  const list = document.getElementById('starred-list');
  const status = document.getElementById('starred-status');
  const tools = box.querySelector('.starred-tools');
  const file = box.querySelector('[data-starred-file]');
  let note = '';

  const render = () => {
    const stars = readStars();
    list.replaceChildren(...stars.map((star) => item(star, theme, texts)));
    count();
  };
  // Unstarring keeps a paper on the page (its star can be pressed again) until the next visit.
  const count = () => {
    const n = readStars().length;
    status.textContent = [n ? theme.say(texts, 'textCount', n) : texts.textNone, note].filter(Boolean).join(' ');
  };
  const tell = (text) => {
    note = text;
    count();
  };
  document.addEventListener('quire:stars', () => tell(''));

  box.querySelector('[data-starred-copy]').addEventListener('click', async () => {
    const entries = bibtex(readStars(), theme);
    try {
      await theme.toClipboard(entries.then((b) => b.text));
      const { missing } = await entries;
      tell([texts.textCopied, missing ? theme.say(texts, 'textMissing', missing) : ''].filter(Boolean).join(' '));
    } catch {
      // No clipboard: the entries are shown, selected, for the reader to copy.
      const { text, missing } = await entries;
      let pre = box.querySelector('pre.bibtex');
      if (!pre) {
        pre = document.createElement('pre');
        pre.className = 'bibtex';
        tools.after(pre);
      }
      pre.textContent = text;
      theme.select(pre);
      let copied = false;
      try {
        copied = document.execCommand('copy');
      } catch {
        // The selection stays.
      }
      const said = copied ? texts.textCopied : texts.textSelected;
      tell([said, missing ? theme.say(texts, 'textMissing', missing) : ''].filter(Boolean).join(' '));
    }
  });
  box.querySelector('[data-starred-download]').addEventListener('click', async () => {
    const { text, missing } = await bibtex(readStars(), theme);
    download('starred.bib', 'application/x-bibtex', text);
    tell(missing ? theme.say(texts, 'textMissing', missing) : '');
  });
  box.querySelector('[data-starred-export]').addEventListener('click', () => {
    const papers = readStars();
    download('starred.json', 'application/json', `${JSON.stringify({ format: FORMAT, version: 1, papers }, null, 1)}\n`);
  });
  box.querySelector('[data-starred-import]').addEventListener('click', () => file.click());
  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    file.value = '';
    if (!chosen) return;
    const added = merge(await imported(chosen));
    tell(added === null ? texts.textImportError : theme.say(texts, 'textImported', added));
    if (added) render();
  });

  tools.hidden = false;
  render();
}

/** One starred paper: its title (the translation, and the original below
 *  it), linking to its page, its star, and its digest. */
function item(star, theme, texts) {
  const li = document.createElement('li');
  li.dataset.paper = star.id;
  const title = document.createElement('a');
  title.className = 'starred-title';
  title.href = star.page ?? star.link;
  title.textContent = star.translated_title || star.title;
  li.append(title, ' ', theme.starButton(star.id, true));
  if (star.translated_title) {
    const original = document.createElement('p');
    original.className = 'starred-original';
    original.lang = 'en';
    original.textContent = star.title;
    li.append(original);
  }
  const key = star.link && /\/digest\/([^/#]+)\//.exec(star.link);
  if (key) {
    const digest = document.createElement('a');
    digest.href = star.link;
    digest.textContent = `${texts.digestLabel} ${decoded(key[1])}`;
    const line = document.createElement('p');
    line.className = 'starred-digest';
    line.append(digest);
    li.append(line);
  }
  return li;
}

/** Every starred paper's BibTeX entry, in one text, fetched from each
 *  paper's page as "copy BibTeX" reads it; `missing` says how many could
 *  not be fetched. */
async function bibtex(stars, theme) {
  const entries = await Promise.allSettled(
    stars.map((star) => {
      const slug = star.page && /\/paper\/([^/]+)\/(index\.html)?$/.exec(star.page);
      if (!slug) return Promise.reject(new Error(`${star.id}: no page`));
      return theme.fetchBibtex({ id: `bibtex-${decoded(slug[1])}`, page: star.page });
    }),
  );
  const found = entries.filter((e) => e.status === 'fulfilled').map((e) => e.value.trim());
  return { text: found.length ? `${found.join('\n\n')}\n` : '', missing: entries.length - found.length };
}

/** Offers `text` as a file named `name`. */
function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The starred papers of an exported file (or of a bare list of them);
 *  null when it is no such file. */
async function imported(file) {
  try {
    const data = JSON.parse(await file.text());
    const papers = Array.isArray(data) ? data : data && data.format === FORMAT ? data.papers : null;
    return Array.isArray(papers) ? papers.map(starRecord).filter(Boolean) : null;
  } catch {
    return null;
  }
}

/** Adds the papers not starred yet after the others; returns how many, or
 *  null for a file that was no list. */
function merge(papers) {
  if (papers === null) return null;
  const stars = readStars();
  const have = new Set(stars.map((s) => s.id));
  const added = papers.filter((p) => !have.has(p.id) && have.add(p.id));
  writeStars([...stars, ...added]);
  return added.length;
}
