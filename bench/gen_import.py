#!/usr/bin/env python3
"""Write synthetic inputs for `quire import` in each producer's format.

    python3 bench/gen_import.py --format digest --papers 6000 --out target/bench/import-digest
    python3 bench/gen_import.py --format paper-json --papers 65000 --out target/bench/import-paper-json

Formats (one folder of files each, split into days as the producer splits them):

  digest      the seed's Markdown digests: DAYS/<cat>.md, 200 papers a file, three
              categories a day, about 5% of a day's papers listed again in another
              category that day and 3% again two days later
  paper-json  the seed's per-paper JSON: papers/YY/MM/<id>.json (import with --date)
  jsonl       daily-arXiv-ai-enhanced: data/YYYY-MM-DD_AI_enhanced_Chinese.jsonl, 200 a day
  arxiv-api   arXiv API responses: query-NN.xml, 200 entries each
  rss         arXiv RSS 2.0: DAY/cs.XX.xml, 200 items a file
  rss-atom    its Atom twin: DAY/cs.XX.atom, 200 entries a file
  hf          Hugging Face daily papers: daily_papers_DAY.json, 50 a day

Text is random words from bench/gen_corpus.py's lists: made up, same bytes for the
same seed and options. Standard library only. OUT is replaced.
"""

import argparse
import datetime as dt
import json
import os
import random
import shutil
from xml.sax.saxutils import escape

from gen_corpus import CATEGORIES, FIRST, LAST, abstract, pick, title, zh

DIGEST_CATS = ["cs.AI", "cs.LG", "cs.CV"]


def days(start, n):
    day = start
    while n > 0:
        if day.weekday() < 5:
            yield day
            n -= 1
        day += dt.timedelta(days=1)


def papers(rng, count, per_day):
    """(day, id, title, abstract, authors, categories) in digest order."""
    out, start = [], dt.date(2024, 1, 2)
    for day in days(start, (count + per_day - 1) // per_day):
        for i in range(min(per_day, count - len(out))):
            pid = "%s.%05d" % (day.strftime("%y%m"), len(out) % 100000)
            cats = [pick(rng, CATEGORIES) for _ in range(rng.choice([1, 2, 2, 3]))]
            cats = list(dict.fromkeys(cats))
            authors = ["%s %s" % (rng.choice(FIRST), rng.choice(LAST)) for _ in range(rng.randint(2, 6))]
            out.append((day, pid, title(rng), "\n\n".join(abstract(rng)), authors, cats))
    return out


def prefix(pid, kind):
    return "arXiv:%sv1 Announce Type: %s  Abstract: " % (pid, kind)


def zh_prefix(pid, kind):
    word = {"new": "新", "cross": "交叉", "replace": "替换", "replace-cross": "替换交叉"}[kind]
    return "arXiv:%sv1 公告类型：%s 摘要：" % (pid, word)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def gen_digest(rng, out, count):
    ps = papers(rng, count, 200 * len(DIGEST_CATS))
    by_day = {}
    for p in ps:
        by_day.setdefault(p[0], []).append(p)
    day_list = sorted(by_day)
    for d, day in enumerate(day_list):
        todays = by_day[day]
        for c, cat in enumerate(DIGEST_CATS):
            rows = todays[c::len(DIGEST_CATS)]
            rows += [p for p in todays[(c + 1) % 3::len(DIGEST_CATS)][:10]]  # cross-listed the same day
            if d >= 2:
                rows += by_day[day_list[d - 2]][c::len(DIGEST_CATS)][:6]  # replaced two days later
            table = ["# 摘要", "", "| Ref | Title | Summary |", "| --- | --- | --- |"]
            details = ["", "# 详细", ""]
            for n, (_, pid, en, ab, _, _) in enumerate(rows, 1):
                kind = "new" if n <= 200 else "cross" if n <= 210 else "replace"
                summary = zh(rng, 40, 90)
                table.append("| [^%d] | [%s](https://arxiv.org/abs/%s) | %s |" % (n, en, pid, summary))
                cut = (prefix(pid, kind) + ab.replace("\n\n", " "))[:1000]
                details += ["[^%d]: %s" % (n, zh(rng, 15, 30, end="")), "", "    " + en, "",
                            "    [https://arxiv.org/abs/%s](https://arxiv.org/abs/%s)" % (pid, pid), "",
                            "    " + summary, "", "    " + zh_prefix(pid, kind) + zh(rng, 200, 400), "",
                            "    " + cut, ""]
            write(os.path.join(out, day.isoformat(), cat + ".md"), "\n".join(table + details) + "\n")


def gen_paper_json(rng, out, count):
    for _, pid, en, ab, _, _ in papers(rng, count, 200):
        record = {"title": en, "abstract": (prefix(pid, "new") + ab.replace("\n\n", " "))[:1000],
                  "link": "https://arxiv.org/abs/" + pid, "context": "bench", "path": "papers/" + pid,
                  "total_tokens": rng.randint(500, 1500), "translated_title": zh(rng, 15, 30, end=""),
                  "translated_abstract": zh_prefix(pid, "new") + zh(rng, 300, 500),
                  "tldr": zh(rng, 40, 80), "en_tdlr": "A made-up one-line summary of " + pid + "."}
        write(os.path.join(out, "papers", pid[:2], pid[2:4], pid + ".json"),
              json.dumps(record, ensure_ascii=False, indent=2) + "\n")


def gen_jsonl(rng, out, count):
    lines = {}
    for day, pid, en, ab, authors, cats in papers(rng, count, 200):
        ai = {"tldr": zh(rng, 30, 60), "motivation": zh(rng, 40, 80), "method": zh(rng, 40, 80),
              "result": zh(rng, 40, 80), "conclusion": zh(rng, 30, 60)}
        lines.setdefault(day, []).append(json.dumps(
            {"id": pid, "categories": cats, "pdf": "https://arxiv.org/pdf/" + pid, "abs": "https://arxiv.org/abs/" + pid,
             "authors": authors, "title": en, "comment": None, "summary": ab, "AI": ai}, ensure_ascii=False))
    for day, ls in lines.items():
        write(os.path.join(out, "data", day.isoformat() + "_AI_enhanced_Chinese.jsonl"), "\n".join(ls) + "\n")


def gen_arxiv_api(rng, out, count):
    ps = papers(rng, count, 200)
    for n in range(0, len(ps), 200):
        entries = []
        for day, pid, en, ab, authors, cats in ps[n:n + 200]:
            stamp = day.isoformat() + "T12:00:00Z"
            entries.append("\n".join([
                "  <entry>", "    <id>http://arxiv.org/abs/%sv1</id>" % pid,
                "    <updated>%s</updated>" % stamp, "    <published>%s</published>" % stamp,
                "    <title>%s</title>" % escape(en), "    <summary>  %s\n</summary>" % escape(ab),
                *("    <author><name>%s</name></author>" % escape(a) for a in authors),
                '    <link href="http://arxiv.org/abs/%sv1" rel="alternate" type="text/html"/>' % pid,
                '    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="%s"/>' % cats[0],
                *('    <category term="%s" scheme="http://arxiv.org/schemas/atom"/>' % c for c in cats),
                "  </entry>"]))
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                '  <title type="html">ArXiv Query: bench</title>\n  <id>http://arxiv.org/api/bench</id>\n'
                '  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">%d</opensearch:totalResults>\n' % count)
        write(os.path.join(out, "query-%03d.xml" % (n // 200)), head + "\n".join(entries) + "\n</feed>\n")


def gen_rss(rng, out, count):
    by_day = {}
    for p in papers(rng, count, 200):
        by_day.setdefault(p[0], []).append(p)
    for day, ps in by_day.items():
        cat = ps[0][5][0]
        items = []
        for _, pid, en, ab, authors, cats in ps:
            items.append("\n".join([
                "    <item>", "      <title>%s</title>" % escape(en),
                "      <link>https://arxiv.org/abs/%s</link>" % pid,
                "      <description>%s</description>" % escape("arXiv:%sv1 Announce Type: new \nAbstract: %s" % (pid, ab)),
                '      <guid isPermaLink="false">oai:arXiv.org:%sv1</guid>' % pid,
                *("      <category>%s</category>" % c for c in cats),
                "      <arxiv:announce_type>new</arxiv:announce_type>",
                "      <dc:creator>%s</dc:creator>" % escape(", ".join(authors)), "    </item>"]))
        pub = day.strftime("%a, %d %b %Y 00:00:00 -0500")
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">\n  <channel>\n'
                "    <title>%s updates on arXiv.org</title>\n    <pubDate>%s</pubDate>\n" % (cat, pub))
        write(os.path.join(out, day.isoformat(), cat + ".xml"), head + "\n".join(items) + "\n  </channel>\n</rss>\n")


def gen_rss_atom(rng, out, count):
    by_day = {}
    for p in papers(rng, count, 200):
        by_day.setdefault(p[0], []).append(p)
    for day, ps in by_day.items():
        cat = ps[0][5][0]
        stamp = day.isoformat() + "T00:00:00-05:00"
        entries = []
        for _, pid, en, ab, authors, cats in ps:
            entries.append("\n".join([
                "  <entry>", "    <id>oai:arXiv.org:%sv1</id>" % pid, "    <title>%s</title>" % escape(en),
                '    <link href="https://arxiv.org/abs/%s" rel="alternate" type="text/html"/>' % pid,
                "    <summary>%s</summary>" % escape("arXiv:%sv1 Announce Type: new \nAbstract: %s" % (pid, ab)),
                *('    <category term="%s" scheme="http://arxiv.org/schemas/atom"/>' % c for c in cats),
                "    <published>%s</published>" % stamp, "    <arxiv:announce_type>new</arxiv:announce_type>",
                "    <dc:creator>%s</dc:creator>" % escape(", ".join(authors)), "  </entry>"]))
        head = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
                'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
                "  <id>http://rss.arxiv.org/atom/%s</id>\n  <title>%s updates on arXiv.org</title>\n"
                "  <updated>%s</updated>\n" % (cat, cat, stamp))
        write(os.path.join(out, day.isoformat(), cat + ".atom"), head + "\n".join(entries) + "\n</feed>\n")


def gen_hf(rng, out, count):
    by_day = {}
    for p in papers(rng, count, 50):
        by_day.setdefault(p[0], []).append(p)
    for day, ps in by_day.items():
        items = [{"paper": {"id": pid, "authors": [{"name": a} for a in authors], "title": en, "summary": ab,
                            "upvotes": rng.randint(0, 200), "publishedAt": day.isoformat() + "T00:00:00.000Z",
                            "ai_summary": "A made-up summary.", "ai_keywords": rng.sample(["llm", "vision", "rl", "theory"], 2)},
                  "publishedAt": day.isoformat() + "T06:00:00.000Z", "title": en, "numComments": 0}
                 for _, pid, en, ab, authors, _ in ps]
        write(os.path.join(out, "daily_papers_%s.json" % day.isoformat()), json.dumps(items, indent=2) + "\n")


GENERATORS = {"digest": gen_digest, "paper-json": gen_paper_json, "jsonl": gen_jsonl,
              "arxiv-api": gen_arxiv_api, "rss": gen_rss, "rss-atom": gen_rss_atom, "hf": gen_hf}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--format", required=True, choices=sorted(GENERATORS))
    ap.add_argument("--papers", type=int, default=6000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    GENERATORS[args.format](random.Random(args.seed), args.out, args.papers)


if __name__ == "__main__":
    main()
