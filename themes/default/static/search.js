// quire search: reads the static index under search/ (meta.json, s/<n>.json,
// d/<n>.json; see src/render/search/mod.rs) in a browser or in Node. A plain ES
// module: no dependencies, no build step.
//
//   import { search } from "./search.js";
//   const found = await search("masked autoencoders", (path) => fetchJsonSomehow(path));
//   // found = { tokens, total, results: [{ doc, id, title, translated_title, date, link, summary, title_hits }] }
//
// `fetchJson(path)` gets a path relative to the index folder ("meta.json",
// "s/3.json", "d/0.json") and resolves to the parsed JSON. Loaded in a page
// with a `form[data-search-index]`, the module also runs that page's search.

/** The index format this script reads. */
export const VERSION = 1;

const ALNUM = /[\p{Alphabetic}\p{N}]/u;
const ASCII_ALPHA = /[A-Za-z]/;
const ASCII_DIGIT = /^[0-9]$/;
/** Combining accents (U+0300 to U+036F): folded away, as the index does. */
const ACCENTS = /[\u0300-\u036f]/g;
const isAccent = (c) => c >= "\u0300" && c <= "\u036f";

/**
 * Text as the index compares it: lowercased, accents folded away
 * (`Eneström` -> `enestrom`). The theme's keywords (reader.js) fold with it too.
 */
export const fold = (text) => text.normalize("NFD").replace(ACCENTS, "").toLowerCase();

/** 32-bit FNV-1a over the UTF-8 bytes of `text`, as the Rust side computes it. */
export function fnv1a32(text) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(text)) {
    h = Math.imul(h ^ b, 0x01000193);
  }
  return h >>> 0;
}

/** The shard file number of `token` among `shards`. */
export function shardOf(token, shards) {
  return fnv1a32(token) % Math.max(1, shards);
}

/**
 * The tokens of `text`, in order, with repeats: exactly what the index
 * builder does (accents folded: `Eneström` and `Enestrom` give `enestrom`). `params` is `meta.tokenizer` (min_word_len, stopwords,
 * cjk_ranges).
 */
export function tokenize(text, params) {
  const minLen = params.min_word_len;
  const stop = new Set(params.stopwords);
  const ranges = params.cjk_ranges;
  const isCjk = (c) => {
    const cp = c.codePointAt(0);
    return ranges.some(([lo, hi]) => cp >= lo && cp <= hi) && ALNUM.test(c);
  };
  const out = [];
  let word = "";
  let wordLen = 0;
  let cjk = [];
  const flush = () => {
    if ((wordLen >= minLen || (wordLen === 1 && ASCII_DIGIT.test(word))) && !stop.has(word)) {
      out.push(word);
    }
    word = "";
    wordLen = 0;
    if (cjk.length === 1) {
      out.push(cjk[0]);
    } else {
      for (let i = 0; i + 1 < cjk.length; i++) out.push(cjk[i] + cjk[i + 1]);
    }
    cjk = [];
  };
  const chars = Array.from(String(text));
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === "\\" && i + 1 < chars.length && ASCII_ALPHA.test(chars[i + 1])) {
      // A TeX command such as \mathcal is dropped whole.
      flush();
      while (i + 1 < chars.length && ASCII_ALPHA.test(chars[i + 1])) i++;
    } else if (isCjk(c)) {
      if (wordLen > 0) flush();
      cjk.push(c);
    } else if (ALNUM.test(c)) {
      if (cjk.length > 0) flush();
      word += fold(c);
      wordLen++;
    } else if (isAccent(c)) {
      // A combining accent in decomposed text: folded away, inside the word.
    } else {
      flush();
    }
  }
  flush();
  return out;
}

/** Gaps -> values (`doc * 2 + title`). */
function decode(gaps) {
  const values = new Array(gaps ? gaps.length : 0);
  let value = 0;
  for (let i = 0; i < values.length; i++) {
    value += gaps[i];
    values[i] = value;
  }
  return values;
}

/**
 * Searches the index: every token of `query` must match (AND). Results come
 * with the most title matches first, then newest first; `options.limit`
 * (20) of them from `options.offset` (0). Fetches `meta.json` (unless
 * `options.meta` is given), one shard per distinct token, and only the
 * document chunks of the results returned.
 */
export async function search(query, fetchJson, options = {}) {
  const limit = options.limit ?? 20;
  const offset = options.offset ?? 0;
  const meta = await (options.meta ?? fetchJson("meta.json"));
  if (meta.version !== VERSION) {
    throw new Error(`search index version ${meta.version}; this script reads version ${VERSION}`);
  }
  const tokens = [...new Set(tokenize(query, meta.tokenizer))];
  const none = { tokens, total: 0, results: [] };
  if (tokens.length === 0 || meta.docs === 0) return none;

  const shardIds = [...new Set(tokens.map((t) => shardOf(t, meta.shards)))];
  const shards = new Map(
    await Promise.all(shardIds.map(async (n) => [n, await fetchJson(`s/${n}.json`)])),
  );
  const lists = tokens.map((t) => {
    const shard = shards.get(shardOf(t, meta.shards));
    return decode(Object.prototype.hasOwnProperty.call(shard, t) ? shard[t] : []);
  });
  if (lists.some((l) => l.length === 0)) return none;

  // Intersect, shortest list first; count title matches on the way.
  lists.sort((a, b) => a.length - b.length);
  let docs = lists[0].map((v) => v >>> 1);
  let hits = lists[0].map((v) => v & 1);
  for (const list of lists.slice(1)) {
    const keptDocs = [];
    const keptHits = [];
    let j = 0;
    for (let i = 0; i < docs.length; i++) {
      while (j < list.length && list[j] >>> 1 < docs[i]) j++;
      if (j < list.length && list[j] >>> 1 === docs[i]) {
        keptDocs.push(docs[i]);
        keptHits.push(hits[i] + (list[j] & 1));
      }
    }
    docs = keptDocs;
    hits = keptHits;
  }

  // Documents are numbered newest first: a stable sort by title matches
  // keeps the newest first among equals.
  const ranked = docs.map((doc, i) => ({ doc, hits: hits[i] }));
  ranked.sort((a, b) => b.hits - a.hits);
  const page = ranked.slice(offset, offset + limit);
  const size = meta.chunk_size;
  const chunkIds = [...new Set(page.map((r) => Math.floor(r.doc / size)))];
  const chunks = new Map(
    await Promise.all(chunkIds.map(async (n) => [n, await fetchJson(`d/${n}.json`)])),
  );
  const results = page.map(({ doc, hits }) => ({
    doc,
    ...chunks.get(Math.floor(doc / size))[doc % size],
    title_hits: hits,
  }));
  return { tokens, total: docs.length, results };
}

/** One result as a list item; every text goes through textContent. */
function resultItem(result) {
  const li = document.createElement("li");
  li.className = "search-result";
  li.dataset.paper = result.id;
  const link = document.createElement("a");
  link.className = "search-title";
  link.href = result.link;
  link.textContent = result.translated_title || result.title;
  li.append(link, " ");
  const time = document.createElement("time");
  time.dateTime = result.date;
  time.textContent = result.date;
  li.append(time);
  if (result.translated_title) {
    const original = document.createElement("p");
    original.className = "search-original";
    original.textContent = result.title;
    li.append(original);
  }
  if (result.summary) {
    const summary = document.createElement("p");
    summary.className = "search-summary";
    summary.textContent = result.summary;
    li.append(summary);
  }
  return li;
}

/** Runs the search page: `?q=` on load, then every submit. */
function startPage(form) {
  const base = form.dataset.searchBase || "/";
  const index = form.dataset.searchIndex || `${base}search/`;
  const list = document.getElementById(form.dataset.searchResults);
  const status = document.getElementById(form.dataset.searchStatus);
  const input = form.elements.namedItem("q");
  const hint = status.textContent;
  // A text for a count: its `...One` variant for 1 (data-text-count-one), if the page has one.
  const say = (key, n) => ((n === 1 && form.dataset[`${key}One`]) || form.dataset[key] || "").replace("{n}", String(n));
  const cache = new Map();
  const fetchJson = (path) => {
    if (!cache.has(path)) {
      const request = fetch(index + path).then((r) => {
        if (!r.ok) throw new Error(`${r.status} ${index}${path}`);
        return r.json();
      });
      request.catch(() => cache.delete(path));
      cache.set(path, request);
    }
    return cache.get(path);
  };
  // A page of results at a time: each result may fetch its own chunk.
  const pageSize = 20;
  const more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.textContent = say("textMore");
  more.hidden = true;
  list.after(more);
  let latest = 0;
  let shown = { query: "", count: 0 };
  const run = async (query, offset = 0) => {
    const ticket = ++latest;
    more.hidden = true;
    if (offset === 0) list.replaceChildren();
    if (!query.trim()) {
      status.textContent = hint;
      return;
    }
    if (offset === 0) status.textContent = say("textLoading");
    try {
      const found = await search(query, fetchJson, { limit: pageSize, offset });
      if (ticket !== latest) return;
      status.textContent = found.total ? say("textCount", found.total) : say("textNone");
      list.append(...found.results.map(resultItem));
      shown = { query, count: offset + found.results.length };
      more.hidden = shown.count >= found.total;
    } catch (error) {
      if (ticket !== latest) return;
      status.textContent = say("textError");
      console.error(error);
    }
  };
  more.addEventListener("click", () => run(shown.query, shown.count));
  const fromUrl = () => new URLSearchParams(window.location.search).get("q") || "";
  input.value = fromUrl();
  run(input.value);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.pushState(null, "", url);
    run(input.value);
  });
  window.addEventListener("popstate", () => {
    input.value = fromUrl();
    run(input.value);
  });
}

if (typeof document !== "undefined") {
  const form = document.querySelector("form[data-search-index]");
  if (form) startPage(form);
}
