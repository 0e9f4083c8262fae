#!/usr/bin/env python3
"""Write a synthetic quire site for benchmarks: same seed and options, same bytes.

    python3 bench/gen_corpus.py --papers 10000 --seed 1 --out target/bench/corpus-10000
    python3 bench/gen_corpus.py --shape real --papers 65000 --out target/bench/real-65000 \
        --hugo target/bench/real-65000-hugo

OUT/site.toml and OUT/content/YYYY-MM-DD/<id>.md (quire's content format: YAML
front matter, Chinese Markdown body). The default shape (`--shape synthetic`):
digests are weekdays from --start with 50-300 papers each (triangular, mode
140); ids are arXiv style YYMM.NNNNN; about 5 KB per paper. `--shape real`
has the shape of a real bilingual archive instead (`realistic.py`: about 270
papers a day, 1.3 KB English abstracts and Chinese bodies, no authors or
categories, about 3.7 KB per paper),
and `--hugo DIR` writes the same papers as a Hugo site (`hugo_site.py`).
Text is random words from small lists. Standard library only. An OUT/content
(or DIR/content) written by an earlier run is replaced.
"""

import argparse
import datetime as dt
import os
import random
import shutil
import textwrap

import hugo_site
import realistic
from words import ADJ, GLUE, NOUN, OPENERS, SYLLABLES, TAGS, VERB, ZH, ZH_GLUE

MARK = "# synthetic benchmark corpus (bench/gen_corpus.py)"
HUGO_MARK = "# the same corpus for Hugo (bench/gen_corpus.py --hugo)"

MATH = [r"$\mathcal{O}(n \log n)$", r"$x \in \mathbb{R}^{%d}$", r"$\ell_2$",
        r"$\alpha = 0.%d$", r"$\sum_{i=1}^{%d} w_i x_i$", r"$\|W\|_F \le %d$",
        r"$p_\theta(y \mid x)$", r"$\tilde{\mathcal{O}}(\sqrt{T})$", r"$k = %d$",
        r"$\mathcal{L}_{\mathrm{rec}} + \lambda \mathcal{L}_{\mathrm{kl}}$"]
ZH_NOTES = ["该结论仅在原文报告的设置下成立。", "复杂度分析忽略了常数项。",
            "完整证明见原文附录。", "译者注：该术语尚无统一译法。"]
FIRST = """Wei Jun Hao Xin Ming Jie Yan Tao Anna Maria Lukas Sofia David Elena Marco
Laura Sarah Ahmed Fatima Priya Rahul Kenji Yuki Min-jun Ivan Olga Pierre Diego
Emma Noah Kwame Amara Leila""".split()
LAST = """Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Smith Brown Garcia
Miller Muller Schmidt Rossi Dubois Kumar Sharma Patel Tanaka Sato Kim Park Lee
Ivanov Novak Silva Okafor Haddad Nielsen Kowalski""".split()
CATEGORIES = {"cs.CV": 25, "cs.LG": 22, "cs.CL": 18, "cs.AI": 10, "cs.RO": 5,
              "stat.ML": 4, "cs.IR": 3, "cs.CR": 2, "cs.SE": 2, "cs.HC": 2,
              "eess.IV": 2, "cs.NE": 1, "eess.AS": 1, "cs.SD": 1, "cs.MA": 1,
              "cs.DC": 1, "math.OC": 1, "cs.GR": 1, "q-bio.QM": 0.5,
              "physics.comp-ph": 0.5}
ANNOUNCE = {"new": 65, "cross": 20, "replace": 10, "replace-cross": 5}


def yaml_str(s):
    """A YAML double-quoted scalar: ids like 2404.10 stay strings."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ch in "\x7f\x85\u2028\u2029":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def yaml_list(items):
    return "[" + ", ".join(yaml_str(x) for x in items) + "]"


def pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def formula(rng):
    f = rng.choice(MATH)
    return f % rng.randint(2, 64) if "%d" in f else f


def sentence(rng, math=False):
    words = [rng.choice(OPENERS)]
    for _ in range(rng.randint(10, 26)):
        r = rng.random()
        pool = NOUN if r < 0.35 else ADJ if r < 0.55 else VERB if r < 0.65 else GLUE
        words.append(rng.choice(pool))
    if math:
        words.insert(rng.randint(2, len(words)), formula(rng))
    return " ".join(words) + "."


def abstract(rng):
    target = rng.randint(850, 1900)  # median about 1450 characters
    parts, size = [], 0
    while size < target:
        parts.append(sentence(rng))
        size += len(parts[-1]) + 1
    if rng.random() < 0.3:  # TeX math in about 30% of abstracts
        for _ in range(rng.randint(1, 2)):
            parts[rng.randrange(len(parts))] = sentence(rng, math=True)
    paragraphs = [parts]
    if len(parts) > 5 and rng.random() < 0.2:
        paragraphs = [parts[: len(parts) // 2], parts[len(parts) // 2:]]
    return [" ".join(p) for p in paragraphs]


def title(rng):
    words = []
    if rng.random() < 0.5:  # a method name first, e.g. "Vektrilum:"
        words.append("".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() + ":")
    target = rng.randint(80, 120)
    while len(" ".join(words)) < target:
        r = rng.random()
        words.append(rng.choice(NOUN).title() if r < 0.45 else
                     rng.choice(ADJ).title() if r < 0.8 else rng.choice(["for", "via", "with", "of"]))
    while len(" ".join(words)) > 120 or words[-1] in ("for", "via", "with", "of"):
        words.pop()
    return " ".join(words).rstrip(":")


def zh(rng, lo, hi, end="。"):
    target, text, clause = rng.randint(lo, hi), "", 0
    while len(text) < target:
        word = rng.choice(ZH if rng.random() < 0.55 else ZH_GLUE)
        text += word
        clause += len(word)
        if clause > rng.randint(10, 24):
            text += "，" if rng.random() < 0.7 else "。"
            clause = 0
    return text.rstrip("，。") + end


def body(rng):
    """300-700 characters in 1-3 paragraphs; math 20%, bold 20%, footnote 15%."""
    n = rng.choice([1, 2, 2, 3])
    per = rng.randint(300, 700) // n
    paras = [zh(rng, per - 10, per + 10) for _ in range(n)]
    if rng.random() < 0.2:
        i = rng.randrange(n)
        paras[i] = paras[i][:-1] + "，其复杂度为 " + formula(rng) + "。"
    if rng.random() < 0.2:
        i = rng.randrange(n)
        at = rng.randrange(5, len(paras[i]) // 2)
        paras[i] = paras[i][:at] + "**" + paras[i][at:at + 8] + "**" + paras[i][at + 8:]
    text = "\n\n".join(paras) + "\n"
    if rng.random() < 0.15:
        i = rng.randrange(n)
        paras[i] = paras[i][:-1] + "[^1]。"
        text = "\n\n".join(paras) + "\n\n[^1]: " + rng.choice(ZH_NOTES) + "\n"
    return text


def paper(rng, pid, date):
    en = title(rng)
    cats = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        c = pick(rng, CATEGORIES)
        if c not in cats:
            cats.append(c)
    tags = []
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        t = TAGS[min(len(TAGS), int(rng.paretovariate(1.1))) - 1]  # Zipf-like
        if t not in tags:
            tags.append(t)
    head = en.split(":", 1)[0] + "：" if ":" in en else ""
    lines = [
        "---",
        "id: " + yaml_str(pid),
        "title: " + yaml_str(en),
        "translated_title: " + yaml_str(head + zh(rng, 18, 40, end="").replace("。", "，")),
        "url: " + yaml_str("https://arxiv.org/abs/" + pid),
        "date: " + yaml_str(date),
        "summary: " + yaml_str(zh(rng, 60, 120)),
        "authors: " + yaml_list(["%s %s" % (rng.choice(FIRST), rng.choice(LAST))
                                 for _ in range(rng.randint(2, 8))]),
        "categories: " + yaml_list(cats),
    ]
    if tags:
        lines.append("tags: " + yaml_list(tags))
    lines += ["announce_type: " + yaml_str(pick(rng, ANNOUNCE)), "abstract: |"]
    for i, para in enumerate(abstract(rng)):
        if i:
            lines.append("")
        lines += ["  " + l for l in textwrap.wrap(para, 96, break_long_words=False,
                                                   break_on_hyphens=False)]
    lines.append("---")
    return "\n".join(lines) + "\n" + body(rng)


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def real_paper(p):
    """A paper of `realistic.py` as a quire paper file."""
    lines = [
        "---",
        "id: " + yaml_str(p["id"]),
        "title: " + yaml_str(p["title"]),
        "translated_title: " + yaml_str(p["translated_title"]),
        "url: " + yaml_str(p["url"]),
        "date: " + yaml_str(p["date"]),
        "summary: " + yaml_str(p["summary"]),
    ]
    for field in ("authors", "categories", "tags"):  # left out when empty
        if p[field]:
            lines.append(field + ": " + yaml_list(p[field]))
    lines += ["announce_type: " + yaml_str(p["announce_type"]), "abstract: |"]
    lines += ["  " + l for l in textwrap.wrap(p["abstract"], 96, break_long_words=False,
                                               break_on_hyphens=False)]
    lines.append("---")
    return "\n".join(lines) + "\n" + p["body"]


def fresh_folder(ap, root, first_line, name):
    """Empties ROOT/content, refusing a folder this script did not write."""
    marked = os.path.join(root, name)
    content = os.path.join(root, "content")
    if os.path.exists(content):
        with open(marked, encoding="utf-8") if os.path.exists(marked) else open(os.devnull) as f:
            if f.readline().rstrip("\n") != first_line:
                ap.error("%s exists and is not a corpus written by this script" % content)
        shutil.rmtree(content)
    os.makedirs(content)
    return content


def synthetic(a, content):
    rng = random.Random(a.seed)
    day, left, days, per_month = dt.date.fromisoformat(a.start), a.papers, 0, {}
    while left > 0:
        while day.weekday() >= 5:  # weekdays only
            day += dt.timedelta(days=1)
        count = min(left, round(rng.triangular(50, 300, 140)))
        folder = os.path.join(content, day.isoformat())
        os.makedirs(folder)
        for _ in range(count):
            month = day.strftime("%y%m")
            per_month[month] = per_month.get(month, 0) + 1
            pid = "%s.%05d" % (month, per_month[month])
            write(os.path.join(folder, pid + ".md"), paper(rng, pid, day.isoformat()))
        left, days, day = left - count, days + 1, day + dt.timedelta(days=1)
    return days


def real(a, content):
    days = 0
    start = dt.date.fromisoformat(a.start)
    for date, papers in realistic.digests(random.Random(a.seed), a.papers, start, a.per_day, a.largest_day):
        folder = os.path.join(content, date)
        os.makedirs(folder)
        for p in papers:
            write(os.path.join(folder, p["id"] + ".md"), real_paper(p))
        if a.hugo:
            hugo_site.write_digest(a.hugo, date, papers)
        days += 1
    return days


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--papers", type=int, default=1000, help="number of papers (1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (1)")
    ap.add_argument("--out", required=True, help="site folder to write")
    ap.add_argument("--start", default="2023-01-02", help="first digest day (2023-01-02)")
    ap.add_argument("--shape", choices=["synthetic", "real"], default="synthetic",
                    help="synthetic (default) or real: the shape of a real bilingual archive")
    ap.add_argument("--hugo", help="with --shape real: also write the papers as a Hugo site here")
    ap.add_argument("--per-day", type=int, help="with --shape real: papers in each digest (default: about 270)")
    ap.add_argument("--largest-day", type=int,
                    help="with --shape real: the 30th digest and every 60th after it have this many papers "
                         "(a real archive's largest day: about 1,200)")
    a = ap.parse_args()
    if (a.hugo or a.per_day or a.largest_day) and a.shape != "real":
        ap.error("--hugo, --per-day and --largest-day need --shape real")
    content = fresh_folder(ap, a.out, MARK, "site.toml")
    write(os.path.join(a.out, "site.toml"), MARK + '\ntitle = "Paper Digest (synthetic benchmark corpus)"\n'
          'base_url = "https://example.org/"\nlanguage = "zh"\n')
    if a.hugo:
        fresh_folder(ap, a.hugo, HUGO_MARK, "hugo.toml")
        hugo_site.start(a.hugo, HUGO_MARK)
    days = (real if a.shape == "real" else synthetic)(a, content)
    print("%d papers in %d digests -> %s%s" % (a.papers, days, a.out, " and " + a.hugo if a.hugo else ""))


if __name__ == "__main__":
    main()
