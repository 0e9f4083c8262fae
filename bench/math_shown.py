#!/usr/bin/env python3
"""Count, in a built site's digest pages, the papers whose TeX a reader sees wrong.

    python3 bench/math_shown.py OUTPUT_DIR

Reads every `digest/*/index.html` and, for each paper's details
(`article.paper`), looks for what arXiv's own pages would have shown as
math or typography:

- `$`: a dollar left in the text (outside formulas, code and links), where
  a formula was not found;
- `code`: code in an abstract (TeX quotes such as `x' read as Markdown);
- `base`: a script element (`msup`, `munder`...) whose first child, its
  base, is a space (`N\\log^d` shown as a small "logd").

Prints one line of JSON: {"papers": N, "$": n, "code": n, "base": n,
"ids": [...]} where each count is of papers, and `ids` the papers with any
(their anchors without `paper-`). A formula shown as its source (`span.math`)
is not counted here: the build's warnings name those.
Standard library only.
"""

import glob
import json
import os
import sys
from html.parser import HTMLParser

SCRIPTED = {"msub", "msup", "msubsup", "munder", "mover", "munderover"}
VOID = {"mspace", "br", "img", "input", "meta", "link", "hr", "wbr"}


class Digest(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # open elements: (tag, attrs)
        self.paper = None
        self.found = {}  # paper id -> set of problems
        self.just_opened = None  # a scripted element waiting for its first child

    def inside(self, tag, cls=None):
        return any(t == tag and (cls is None or cls in (a.get("class") or "").split()) for t, a in self.stack)

    def flag(self, what):
        if self.paper:
            self.found.setdefault(self.paper, set()).add(what)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.just_opened and tag == "mspace":
            self.flag("base")
        self.just_opened = tag if tag in SCRIPTED else None
        if tag == "article" and "paper" in (attrs.get("class") or "").split():
            self.paper = attrs.get("id")
            self.found.setdefault(self.paper, set())
        if tag == "code" and self.inside("details", "abstract"):
            self.flag("code")
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        if self.just_opened and tag == "mspace":
            self.flag("base")
        self.just_opened = None

    def handle_endtag(self, tag):
        self.just_opened = None
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag == "article":
            self.paper = None

    def handle_data(self, data):
        if data.strip():
            self.just_opened = None
        shown_as_source = self.inside("span", "math")  # counted from the build's warnings
        if "$" in data and not shown_as_source and not any(self.inside(t) for t in ("math", "code", "pre", "a")):
            self.flag("$")


def main():
    out = sys.argv[1]
    found = {}
    for page in sorted(glob.glob(os.path.join(out, "digest", "*", "index.html"))):
        parser = Digest()
        with open(page, encoding="utf-8") as f:
            parser.feed(f.read())
        for paper, problems in parser.found.items():
            found.setdefault(paper, set()).update(problems)
    counts = {what: sum(what in p for p in found.values()) for what in ("$", "code", "base")}
    ids = sorted(paper.removeprefix("paper-") for paper, problems in found.items() if problems)
    print(json.dumps({"papers": len(found), **counts, "ids": ids}))


if __name__ == "__main__":
    main()
