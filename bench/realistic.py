"""The real shape of a bilingual arXiv digest, made up: `gen_corpus.py --shape real`.

What a year of a real producer's digests looks like (measured on one, none of
its text used): about 270 papers a weekday; per paper an English title of
40-160 characters, a few of them with TeX math (`$k$-Means`) or TeX accents
(`Schr\\"odinger`), a Chinese translated title, a Chinese one-line summary
(40-90 characters), 1-12 authors, 1-4 arXiv categories (cross-lists), an
English abstract of about 1 KB (the producer cuts it at 1,000 characters)
and its Chinese translation as the body, about 0.6 KB (150-280 characters).
The producer sets no tags; one paper in four has one or two here, so tag
pages are built too.

Every paper is a dict; `gen_corpus.py` writes it as a quire paper file and
`hugo_site.py` as a Hugo page. All text is drawn from small word lists.
"""

import datetime as dt

from words import ADJ, GLUE, NOUN, OPENERS, SYLLABLES, TAGS, VERB, ZH, ZH_GLUE

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
FIRST = """Wei Jun Hao Xin Ming Jie Yan Tao Anna Maria Lukas Sofia David Elena Marco
Laura Sarah Ahmed Fatima Priya Rahul Kenji Yuki Min-jun Ivan Olga Pierre Diego
Emma Noah Kwame Amara Leila José Zoë Łukasz Søren Chloé""".split()
LAST = """Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Smith Brown Garcia
Miller Müller Schmidt Rossi Dubois Kumar Sharma Patel Tanaka Sato Kim Park Lee
Ivanov Novák Silva Okafor Haddad Nielsen Kowalski Nguyễn Çelik""".split()
# (category, weight): a cs-centred daily digest with its cross-lists.
CATEGORIES = {"cs.CV": 25, "cs.LG": 22, "cs.CL": 18, "cs.AI": 14, "cs.RO": 5,
              "stat.ML": 5, "cs.IR": 3, "cs.CR": 3, "cs.SE": 2, "cs.HC": 2,
              "eess.IV": 2, "cs.NE": 1, "eess.AS": 1, "cs.SD": 1, "cs.MA": 1,
              "cs.DC": 1, "math.OC": 1.5, "cs.GR": 1, "q-bio.QM": 0.5,
              "physics.comp-ph": 0.5, "cs.CY": 1, "cs.DS": 1, "cs.IT": 0.7,
              "math.IT": 0.7, "eess.SP": 1, "eess.SY": 0.8, "cs.MM": 0.5,
              "math.ST": 0.5, "stat.ME": 0.5, "cs.LO": 0.4}
ANNOUNCE = {"new": 60, "cross": 25, "replace": 10, "replace-cross": 5}

ABSTRACT_CUT = 1000  # the producer keeps the first 1,000 characters


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
    """About 1 KB: most are cut at 1,000 characters (at a space), as the producer does."""
    target = rng.randint(600, 1300)
    parts, size = [], 0
    while size < target:
        parts.append(sentence(rng, math=rng.random() < 0.08))
        size += len(parts[-1]) + 1
    text = " ".join(parts)
    if len(text) > ABSTRACT_CUT:
        text = text[:ABSTRACT_CUT].rsplit(" ", 1)[0]
    return text


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
    """The abstract's translation: 150-280 characters, math in 15%, bold in 10%."""
    text = zh(rng, 150, 280)
    if rng.random() < 0.15:
        text = text[:-1] + "，其复杂度为 " + formula(rng) + "。"
    if rng.random() < 0.1:
        at = rng.randrange(5, len(text) // 2)
        text = text[:at] + "**" + text[at:at + 6] + "**" + text[at + 6:]
    return text + "\n"


def paper(rng, pid, date, order):
    en = title(rng)
    cats = []
    for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
        c = pick(rng, CATEGORIES)
        if c not in cats:
            cats.append(c)
    tags = []  # a producer's papers carry categories; a few get a reader's tags
    for _ in range(rng.choice([0] * 15 + [1] * 4 + [2])):
        t = TAGS[min(len(TAGS), int(rng.paretovariate(1.1))) - 1]  # Zipf-like
        if t not in tags:
            tags.append(t)
    head = en.split(":", 1)[0] + "：" if ":" in en.split(" ", 1)[0] else ""
    authors = min(12, max(1, int(rng.lognormvariate(1.4, 0.6))))
    return {
        "id": pid,
        "order": order,
        "date": date,
        "title": en,
        "translated_title": head + zh(rng, 15, 40, end="").replace("。", "，"),
        "url": "https://arxiv.org/abs/" + pid,
        "summary": zh(rng, 40, 90),
        "authors": ["%s %s" % (rng.choice(FIRST), rng.choice(LAST)) for _ in range(authors)],
        "categories": cats,
        "tags": tags,
        "announce_type": pick(rng, ANNOUNCE),
        "abstract": abstract(rng),
        "body": body(rng),
    }


# With a largest day: the digests of this many, one in LARGE_EVERY, have it
# (a real archive has a few days several times the usual size).
LARGE_EVERY = 60


def digests(rng, papers, start, per_day=None, largest_day=None):
    """Yields (date, [paper, ...]) for weekdays from `start`, about 270 papers
    each, or `per_day`; with `largest_day`, the 30th digest and every 60th
    after it have that many."""
    day, left, per_month, number = start, papers, {}, 0
    while left > 0:
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        count = per_day or round(rng.triangular(180, 380, 250))  # mean 270
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
