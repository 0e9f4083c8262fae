#!/usr/bin/env python3
"""What a built site weighs, by kind of output, counted as GitHub Pages counts it
(the sum of file sizes).

    python3 bench/sizes.py OUT --papers N            # a table
    python3 bench/sizes.py OUT --papers N --json     # one JSON object

Kinds are told by path, for quire's and the Hugo bench site's layouts alike:
paper pages and their JSON, digest pages and their JSON, home pages, category
and tag pages, feeds, the search index, sitemaps, and the rest. Also reports
the largest HTML page, the home page, the largest list page (home and
category or tag pages) and the largest feed. Standard library only.
"""

import argparse
import json
import os

KINDS = [
    "paper pages", "paper JSON", "digest pages", "digest JSON", "search index",
    "home pages", "term pages", "term feeds", "site feed", "sitemaps", "other",
]


def kind(rel):
    parts = rel.split("/")
    top, name = parts[0], parts[-1]
    if top == "paper":
        return "paper JSON" if name.endswith(".json") else "paper pages" if name == "index.html" else "other"
    if top == "digest" and len(parts) > 2:
        return "digest JSON" if name.endswith(".json") else "digest pages"
    if top == "search":
        return "search index"
    if rel == "index.html" or top == "page":
        return "home pages"
    if top in ("category", "tag", "categories", "tags"):
        return "term feeds" if name.endswith(".xml") else "term pages"
    if rel in ("atom.xml", "index.xml"):
        return "site feed"
    if name.startswith("sitemap"):
        return "sitemaps"
    return "other"


def is_list_page(rel):
    """Home pages and category or tag pages (not the index of all terms)."""
    k = kind(rel)
    return rel.endswith(".html") and (k == "home pages" or (k == "term pages" and rel.count("/") >= 2))


def measure(out):
    kinds = {k: [0, 0] for k in KINDS}
    largest = {"page": ("", 0), "list": ("", 0), "feed": ("", 0), "file": ("", 0)}

    def keep(key, rel, size):
        if size > largest[key][1]:
            largest[key] = (rel, size)

    for folder, _, files in os.walk(out):
        for f in files:
            path = os.path.join(folder, f)
            rel = os.path.relpath(path, out).replace(os.sep, "/")
            size = os.path.getsize(path)
            k = kind(rel)
            kinds[k][0] += 1
            kinds[k][1] += size
            keep("file", rel, size)
            if rel.endswith(".html"):
                keep("page", rel, size)
            if is_list_page(rel):
                keep("list", rel, size)
            if k in ("site feed", "term feeds"):
                keep("feed", rel, size)
    home = os.path.join(out, "index.html")
    return {
        "files": sum(v[0] for v in kinds.values()),
        "bytes": sum(v[1] for v in kinds.values()),
        "kinds": {k: {"files": v[0], "bytes": v[1]} for k, v in kinds.items() if v[0]},
        "largest": {k: {"path": v[0], "bytes": v[1]} for k, v in largest.items()},
        "home": os.path.getsize(home) if os.path.exists(home) else 0,
    }


def kb(n):
    return "%.1f KB" % (n / 1000)


def table(m, papers):
    lines = ["| kind | files | MB | KB per paper | files per paper |", "| --- | ---: | ---: | ---: | ---: |"]
    for k, v in m["kinds"].items():
        lines.append("| %s | %d | %.1f | %.2f | %.3f |" % (
            k, v["files"], v["bytes"] / 1e6, v["bytes"] / papers / 1000, v["files"] / papers))
    lines.append("| **all** | %d | %.1f | %.2f | %.3f |" % (
        m["files"], m["bytes"] / 1e6, m["bytes"] / papers / 1000, m["files"] / papers))
    lines.append("")
    lines.append("home page %s; largest page %s (%s); largest list page %s (%s); largest feed %s (%s); "
                 "largest file %s (%s)" % (
                     kb(m["home"]), kb(m["largest"]["page"]["bytes"]), m["largest"]["page"]["path"],
                     kb(m["largest"]["list"]["bytes"]), m["largest"]["list"]["path"],
                     kb(m["largest"]["feed"]["bytes"]), m["largest"]["feed"]["path"],
                     kb(m["largest"]["file"]["bytes"]), m["largest"]["file"]["path"]))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="a built site")
    ap.add_argument("--papers", type=int, required=True, help="how many papers it holds")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()
    m = measure(a.out)
    if a.json:
        m["papers"] = a.papers
        print(json.dumps(m))
    else:
        print(table(m, a.papers))


if __name__ == "__main__":
    main()
