"""The real shape of a bilingual arXiv digest, made up: `gen_corpus.py --shape real`.

What a year of a real producer's digests looks like (measured on one, none of
its text used): 243 weekday digests of 16 to 1,192 papers, about 270 a day;
about 3.7 KB of text a paper. Per paper: an English title of 40-160
characters, a few with TeX math (`$k$-Means`) or TeX accents
(`Schr\\"odinger`), most ending as the arXiv feed writes them
(` (arXiv:2404.01300v1 [cs.CV])`); a Chinese translated title; a Chinese
summary (100-220 characters); an English abstract of about 1.3 KB, most
starting as the feed writes them (`arXiv:2404.01300v1 Announce Type: new
Abstract: `); and its Chinese translation as the body, about 1.3 KB. The
producer sets no authors, categories or tags.

Every paper is a dict; `gen_corpus.py` writes it as a quire paper file and
`hugo_site.py` as a Hugo page. All text is drawn from small word lists.
"""

import datetime as dt

from words import ADJ, GLUE, NOUN, OPENERS, SYLLABLES, VERB, ZH, ZH_GLUE

EN_ADJ = ADJ + "instruction-tuned autoregressive compositional memory-efficient".split()
# Inline math as arXiv titles and abstracts write it.
MATH = [r"$\mathcal{O}(n \log n)$", r"$x \in \mathbb{R}^{%d}$", r"$\ell_%d$",
        r"$\alpha = 0.%d$", r"$\sum_{i=1}^{%d} w_i x_i$", r"$\|W\|_F \le %d$",
        r"$p_\theta(y \mid x)$", r"$\tilde{\mathcal{O}}(\sqrt{T})$", r"$k = %d$",
        r"$\mathcal{L}_{\mathrm{rec}} + \lambda \mathcal{L}_{\mathrm{kl}}$"]
TITLE_MATH = [r"$k$-Means", r"$\ell_p$-Norm", r"$\mathcal{O}(\log n)$", r"$\epsilon$-Greedy",
              r"$\text{SO}(3)$-Equivariant", r"$N$-Body", r"$\mathbb{Z}_2$", r"$H^\infty$"]
# Names with TeX accents, as arXiv titles write them.
TITLE_ACCENT = [r'Schr\"odinger', r"Poincar\'e", r"Erd\H{o}s", r'M\"obius', r"Fr\'echet",
                r'Gr\"obner', r"Lov\'asz", r"Ces\`aro", r"\v{C}ech", r"Kullback-Leibler"]
# (category, weight): the primary categories of a cs-centred daily digest.
CATEGORIES = {"cs.CV": 25, "cs.LG": 22, "cs.CL": 18, "cs.AI": 14, "cs.RO": 5,
              "stat.ML": 5, "cs.IR": 3, "cs.CR": 3, "cs.SE": 2, "cs.HC": 2,
              "eess.IV": 2, "cs.NE": 1, "eess.AS": 1, "cs.SD": 1, "cs.MA": 1,
              "cs.DC": 1, "math.OC": 1.5, "cs.GR": 1, "q-bio.QM": 0.5,
              "physics.comp-ph": 0.5, "cs.CY": 1, "cs.DS": 1, "cs.IT": 0.7,
              "math.IT": 0.7, "eess.SP": 1, "eess.SY": 0.8, "cs.MM": 0.5,
              "math.ST": 0.5, "stat.ME": 0.5, "cs.LO": 0.4}
ANNOUNCE = {"new": 60, "cross": 25, "replace": 10, "replace-cross": 5}

# The arXiv feed's own marks: most titles end with the id, version and primary
# category, most abstracts start with the id and the announce type.
FEED_TITLE = 0.8
FEED_ABSTRACT = 0.8


def pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def formula(rng):
    f = rng.choice(MATH)
    return f % rng.randint(1, 64) if "%d" in f else f


def sentence(rng, math=False):
    words = [rng.choice(OPENERS)]
    for _ in range(rng.randint(10, 26)):
        r = rng.random()
        pool = NOUN if r < 0.35 else EN_ADJ if r < 0.55 else VERB if r < 0.65 else GLUE
        words.append(rng.choice(pool))
    if math:
        words.insert(rng.randint(2, len(words)), formula(rng))
    return " ".join(words) + "."


def abstract(rng):
    """About 1.3 KB (arXiv allows 1,920 characters), TeX math in some sentences."""
    target = rng.randint(600, 1850)
    parts, size = [], 0
    while size < target:
        parts.append(sentence(rng, math=rng.random() < 0.08))
        size += len(parts[-1]) + 1
    return " ".join(parts)


def title(rng):
    words = []
    if rng.random() < 0.45:  # a method name first, e.g. "Vektrilum:"
        words.append("".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() + ":")
    target = rng.randint(40, 150)
    while len(" ".join(words)) < target:
        r = rng.random()
        words.append(rng.choice(NOUN).title() if r < 0.45 else
                     rng.choice(EN_ADJ).title() if r < 0.8 else rng.choice(["for", "via", "with", "of"]))
    while words[-1] in ("for", "via", "with", "of"):
        words.pop()
    r = rng.random()
    if r < 0.10:  # TeX math in about one title in ten
        words.insert(rng.randint(1, len(words)), rng.choice(TITLE_MATH))
    elif r < 0.14:  # a TeX accent in about one in 25
        words.insert(rng.randint(1, len(words)), rng.choice(TITLE_ACCENT))
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
    """The abstract's translation: 300-620 characters (about 1.3 KB), math in
    15%, bold in 10%."""
    text = zh(rng, 300, 620)
    if rng.random() < 0.15:
        text = text[:-1] + "，其复杂度为 " + formula(rng) + "。"
    if rng.random() < 0.1:
        at = rng.randrange(5, len(text) // 2)
        text = text[:at] + "**" + text[at:at + 6] + "**" + text[at + 6:]
    return text + "\n"


def paper(rng, pid, date, order):
    en = title(rng)
    announce = pick(rng, ANNOUNCE)
    version = "v1" if announce in ("new", "cross") else "v%d" % rng.randint(2, 4)
    head = en.split(":", 1)[0] + "：" if ":" in en.split(" ", 1)[0] else ""
    if rng.random() < FEED_TITLE:
        en += " (arXiv:%s%s [%s])" % (pid, version, pick(rng, CATEGORIES))
    text = abstract(rng)
    if rng.random() < FEED_ABSTRACT:
        text = "arXiv:%s%s Announce Type: %s Abstract: %s" % (pid, version, announce, text)
    return {
        "id": pid,
        "order": order,
        "date": date,
        "title": en,
        "translated_title": head + zh(rng, 20, 60, end="").replace("。", "，"),
        "url": "https://arxiv.org/abs/" + pid,
        "summary": zh(rng, 100, 220),
        "authors": [],
        "categories": [],
        "tags": [],
        "announce_type": announce,
        "abstract": text,
        "body": body(rng),
    }


# With a largest day: the digests of this many, one in LARGE_EVERY, have it
# (a real archive has a few days several times the usual size).
LARGE_EVERY = 60


def day_size(rng):
    """Papers in a usual day: mostly 135-385 (mode 235), a few short days
    (16-100: holidays) and a few long ones (600-1,192); mean about 270."""
    r = rng.random()
    if r < 0.04:
        return rng.randint(16, 100)
    if r < 0.07:
        return rng.randint(600, 1192)
    return round(rng.triangular(135, 385, 235))


def digests(rng, papers, start, per_day=None, largest_day=None):
    """Yields (date, [paper, ...]) for weekdays from `start`, about 270 papers
    each (`day_size`), or `per_day`; with `largest_day`, the 30th digest and
    every 60th after it have that many."""
    day, left, per_month, number = start, papers, {}, 0
    while left > 0:
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        count = per_day or day_size(rng)
        if largest_day and number % LARGE_EVERY == LARGE_EVERY // 2:
            count = largest_day
        count = min(left, count)
        number += 1
        month = day.strftime("%y%m")
        batch = []
        for k in range(count):
            per_month[month] = per_month.get(month, 0) + 1
            pid = "%s.%05d" % (month, per_month[month])
            batch.append(paper(rng, pid, day.isoformat(), k + 1))
        yield day.isoformat(), batch
        left -= count
        day += dt.timedelta(days=1)
