#!/usr/bin/env python3
"""Peak memory and time of `quire import` on hostile inputs, for one or two
binaries side by side: each shape at 1x and 4x its size, so the ratio shows
whether the work is linear. Prints a Markdown table.

    python3 bench/import_hostile.py target/release/quire [other/quire]

Each run gets a new site and is stopped after TIMEOUT seconds (60) or
LIMIT_MB of address space (8192); such a run shows as `killed`. Needs GNU
time at /usr/bin/time (GNU_TIME).
"""

import os
import shutil
import subprocess
import sys
import tempfile

GNU_TIME = os.environ.get("GNU_TIME", "/usr/bin/time")
TIMEOUT = int(os.environ.get("TIMEOUT", "60"))
LIMIT_MB = int(os.environ.get("LIMIT_MB", "8192"))


def rss(items):
    return ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>cs.CV updates on arXiv.org</title>'
            '<pubDate>Tue, 02 Apr 2024 00:00:00 -0400</pubDate>\n' + "".join(items) + "</channel></rss>\n")


def item(i, extra=""):
    return (f"<item><title>Paper {i}</title><link>https://arxiv.org/abs/2404.{i:05d}</link>"
            f"<description>arXiv:2404.{i:05d}v1 Announce Type: new Abstract: Text {i}.</description>{extra}</item>\n")


def nested(depth):
    return rss([item(1, "<x>" + "<b>" * depth + "</b>" * depth + "</x>")])


def big_feed(items):
    return rss([item(i, "<comments>" + "word " * 70 + "</comments>") for i in range(1, items + 1)])


def digest(rows):
    head = "# Digest\n\n| Ref | Title | Summary |\n| --- | --- | --- |\n"
    return head + "".join(f"| [^{i}] | [Paper {i}](https://arxiv.org/abs/2404.{i:05d}) | Summary {i}. |\n"
                          for i in range(1, rows + 1))


def jsonl(papers):
    return "".join(f'{{"id": "2404.{i:05d}", "title": "Paper {i}", "categories": ["cs.CV"], '
                   f'"summary": "{"Made-up text. " * 20}"}}\n' for i in range(1, papers + 1))


# (shape, file name, maker, 1x size)
CASES = [
    ("RSS item, nested <b> (row 1)", "cs.CV.xml", nested, 7_500),
    ("RSS feed of N items (row 6)", "cs.CV.xml", big_feed, 12_500),
    ("digest rows without details (row 9)", "2024-04-02.md", digest, 10_000),
    ("JSONL papers (files written)", "2024-04-02.jsonl", jsonl, 1_500),
]


def run(quire, name, text):
    site = tempfile.mkdtemp(prefix="quire-hostile-")
    try:
        os.makedirs(os.path.join(site, "content"))
        with open(os.path.join(site, "site.toml"), "w") as f:
            f.write('title = "T"\nbase_url = "/"\n')
        with open(os.path.join(site, name), "w") as f:
            f.write(text)
        limit = f"ulimit -v {LIMIT_MB * 1024}; exec {GNU_TIME} -f '%M %e' {quire} import --date 2024-04-02 {name}"
        try:
            out = subprocess.run(["bash", "-c", limit], cwd=site, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return f"killed after {TIMEOUT} s"
        last = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else ""
        parts = last.split()
        if out.returncode != 0 or len(parts) != 2:
            return f"failed ({out.returncode})"
        summary = out.stdout.strip().splitlines()[-1].split(": ", 2)[-1] if out.stdout.strip() else ""
        added = summary.split(" added")[0].split()[-1] if " added" in summary else "?"
        return f"{int(parts[0]) / 1024:.0f} MB, {float(parts[1]):.2f} s, {added} added"
    finally:
        shutil.rmtree(site, ignore_errors=True)


def main():
    binaries = sys.argv[1:]
    if not binaries or binaries[0] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if binaries else 2)
    print("| input | size | " + " | ".join(binaries) + " |")
    print("| --- | ---: |" + " --- |" * len(binaries))
    for shape, name, make, n in CASES:
        for size in (n, 4 * n):
            text = make(size)
            cells = [run(os.path.abspath(b), name, text) for b in binaries]
            print(f"| {shape} | {size:,} ({len(text) / 1e6:.1f} MB) | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
