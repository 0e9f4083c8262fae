"""The same papers as a Hugo site, with tiny templates doing quire's work.

`gen_corpus.py --shape real --hugo DIR` writes it beside the quire site, so
`compare.sh` can build both. What Hugo makes, as quire does:

- a page per digest (`/digest/<date>/`): the summary table (number, title,
  summary; each number links to the details), then every paper in full
  (translated title, title, link, authors, categories and tags, summary,
  body, abstract), each linking back to its row;
- a page per paper (`/paper/<id>/`), the same details and its digest;
- home pages of the newest digests, 10 per page; an archive (`/digest/`);
- categories and tags with their papers, 50 per page (quire's default);
- one feed of the 50 newest (RSS), a sitemap, robots.txt and a 404 page.

What it does not make: search, JSON data, category and tag feeds, math
(TeX stays as written), the theme's chrome (head tags, toggles, scripts and
styles). So its output is the floor of the same pages, not the same site.
"""

import json
import os
import textwrap

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Paper Digest (realistic benchmark corpus)"
defaultContentLanguage = "zh"
enableRobotsTXT = true
paginate = 10

[services.rss]
limit = 50

[outputs]
home = ["html", "rss"]
section = ["html"]
taxonomy = ["html"]
term = ["html"]

[taxonomies]
category = "categories"
tag = "tags"
"""

LAYOUTS = {
    "partials/paper.html": """\
<article id="p-{{ .Params.paper_id }}">
<h2>{{ .Params.translated_title }}</h2>
<h3><a href="{{ .Params.paper_url }}">{{ .Title }}</a></h3>
<p>{{ delimit .Params.authors ", " }} · {{ .Params.announce_type }} · <a href="{{ .RelPermalink }}">{{ .Params.paper_id }}</a></p>
<p>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>
<p class="tldr">{{ .Params.tldr }}</p>
<div class="body">{{ .Content }}</div>
<div class="abstract">{{ .Params.abstract | markdownify }}</div>
</article>
""",
    "partials/head.html": """\
<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head><body>
<nav><a href="{{ "/" | relURL }}">{{ site.Title }}</a> <a href="{{ "/digest/" | relURL }}">Archive</a></nav>
""",
    "_default/list.html": """\
{{ partial "head.html" . }}<h1>{{ .Title }}</h1>
<table><tr><th>Ref</th><th>Title</th><th>Summary</th></tr>
{{ range $i, $p := .Pages }}<tr id="r-{{ $p.Params.paper_id }}"><td><a href="#p-{{ $p.Params.paper_id }}">[{{ add $i 1 }}]</a></td><td>{{ $p.Title }}</td><td>{{ $p.Params.tldr }}</td></tr>
{{ end }}</table>
{{ range $i, $p := .Pages }}<section><a href="#r-{{ $p.Params.paper_id }}">[{{ add $i 1 }}] ↩</a>{{ partial "paper.html" $p }}</section>
{{ end }}</body></html>
""",
    "_default/single.html": """\
{{ partial "head.html" . }}{{ partial "paper.html" . }}
<p><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></p></body></html>
""",
    "index.html": """\
{{ partial "head.html" . }}<ul>
{{ $p := .Paginate (site.GetPage "/digest").Sections.ByDate.Reverse 10 }}{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>
{{ end }}</ul>
{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">prev</a>{{ end }} {{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">next</a>{{ end }}</body></html>
""",
    "_default/archive.html": """\
{{ partial "head.html" . }}<h1>{{ .Title }}</h1><ul>
{{ range .Sections.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>
{{ end }}</ul></body></html>
""",
    "_default/terms.html": """\
{{ partial "head.html" . }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul></body></html>
""",
    "_default/term.html": """\
{{ partial "head.html" . }}<h1>{{ .Title }}</h1><ul>
{{ $p := .Paginate .Pages 50 }}{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Params.translated_title }}</a> {{ .Date.Format "2006-01-02" }}</li>
{{ end }}</ul>
{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">prev</a>{{ end }} {{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">next</a>{{ end }}</body></html>
""",
    "404.html": """\
{{ partial "head.html" . }}<h1>404</h1></body></html>
""",
}


def q(s):
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(s, ensure_ascii=False)


def qlist(xs):
    return "[" + ", ".join(q(x) for x in xs) + "]"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def start(root, first_line):
    """Writes the configuration (after `first_line`, a comment), the
    templates and the section pages."""
    write(os.path.join(root, "hugo.toml"), first_line + "\n" + HUGO_CONFIG)
    for name, text in LAYOUTS.items():
        write(os.path.join(root, "layouts", name), text)
    write(os.path.join(root, "content", "_index.md"), "---\ntitle: \"Paper Digest\"\n---\n")
    write(os.path.join(root, "content", "digest", "_index.md"),
          "---\ntitle: \"Archive\"\nlayout: archive\n---\n")


def write_digest(root, date, papers):
    """One digest: a section page and a page per paper. `url` is Hugo's
    permalink field, so the paper's link is `paper_url`; `summary` is Hugo's
    own, so the one-line summary is `tldr`."""
    section = os.path.join(root, "content", "digest", date)
    write(os.path.join(section, "_index.md"), f"---\ntitle: \"Digest {date}\"\ndate: {date}\n---\n")
    for p in papers:
        abstract = "\n".join("  " + line for line in textwrap.wrap(
            p["abstract"], 96, break_long_words=False, break_on_hyphens=False))
        front = [
            "---",
            "title: " + q(p["title"]),
            "date: " + date,
            "weight: %d" % p["order"],
            "url: /paper/%s/" % p["id"],
            "paper_id: " + q(p["id"]),
            "translated_title: " + q(p["translated_title"]),
            "paper_url: " + p["url"],
            "tldr: " + q(p["summary"]),
            "authors: " + qlist(p["authors"]),
            "categories: " + qlist(p["categories"]),
            "tags: " + qlist(p["tags"]),
            "announce_type: " + p["announce_type"],
            "abstract: |",
            abstract,
            "---",
            "",
        ]
        write(os.path.join(section, p["id"] + ".md"), "\n".join(front) + p["body"])
