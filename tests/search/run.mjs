// Queries a built site's search index from Node, the way a browser would:
// imports the site's own search.js and reads the index files from disk.
//
//   node tests/search/run.mjs OUTPUT_DIR QUERY...            one JSON line per query
//   node tests/search/run.mjs --tokenize OUTPUT_DIR TEXT...  search.js's tokens of each text
//
// A query's line: {query, tokens, total, results: [{doc, id, title,
// translated_title, date, link, summary, title_hits}], bytes: {meta, shards,
// docs, total}, files: [paths read]}: what one search downloads (meta.json
// counted every time, as on a fresh page load).

import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const tokenizeOnly = args[0] === "--tokenize";
if (tokenizeOnly) args.shift();
const [outDir, ...inputs] = args;
if (!outDir) {
  console.error("usage: node run.mjs [--tokenize] OUTPUT_DIR QUERY...");
  process.exit(2);
}
const out = resolve(outDir);
const { search, tokenize } = await import(pathToFileURL(join(out, "search.js")).href);

/** A fetchJson over the files of `out/search/` that counts what it reads. */
function reader() {
  const read = { meta: 0, shards: 0, docs: 0, files: [] };
  const fetchJson = async (path) => {
    const bytes = await readFile(join(out, "search", path));
    const kind = path === "meta.json" ? "meta" : path.startsWith("s/") ? "shards" : "docs";
    read[kind] += bytes.length;
    read.files.push(path);
    return JSON.parse(bytes.toString("utf8"));
  };
  return { read, fetchJson };
}

if (tokenizeOnly) {
  const { fetchJson } = reader();
  const meta = await fetchJson("meta.json");
  for (const text of inputs) console.log(JSON.stringify(tokenize(text, meta.tokenizer)));
} else {
  for (const query of inputs) {
    const { read, fetchJson } = reader();
    const found = await search(query, fetchJson);
    const { files, ...bytes } = read;
    bytes.total = bytes.meta + bytes.shards + bytes.docs;
    console.log(JSON.stringify({ query, ...found, bytes, files }));
  }
}
