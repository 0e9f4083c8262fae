#!/usr/bin/env python3
"""Write a quire site of made-up abstracts full of math as real abstracts write it.

    python3 bench/gen_math.py --papers 20000 --seed 1 --out target/bench/math
    bash bench/math_fallback.sh target/debug/quire        # the fallback rate

Every paper has formulas in its abstract (English, arXiv style) and in its
Chinese body. Most formulas are everyday TeX (subscripts, \\mathcal, \\frac,
\\mathbb, sums); a share of papers also use what real abstracts write and a
TeX renderer may lack: \\unicode{x2014}, \\big( and its kin, {\\cal S}, \\bf
and \\rm switches, \\prop, {n \\choose k}, user macros such as \\OPT, ~ in
math, \\textit{} in math, and Chinese text whose spaced `$ n $` once made the
dollars pair wrongly. Another share writes TeX around its formulas as arXiv
abstracts do (SHAPES): a space inside the dollars (`1$ \\sigma$`), a digit
after the closing one (`$\\pm$70`), TeX quotes in every shape, scripts on
operators (`N\\log^d`). Text is made up from the lists below: no real
abstract is copied. Standard library only; same seed, same bytes.
"""

import argparse
import os
import random
import shutil

EVERYDAY = [
    r"\mathcal{O}(n \log n)",
    r"x \in \mathbb{R}^{d}",
    r"\ell_2",
    r"\alpha = 0.5",
    r"\mathcal{L}_{\text{rec}} + \lambda \mathcal{L}_{\text{reg}}",
    r"\frac{1}{N}\sum_{i=1}^{N} f(x_i)",
    r"\hat{y} = \arg\max_{y} p(y \mid x)",
    r"\|W\|_F \le 1",
    r"\sqrt{n}",
    r"k \times k",
    r"\epsilon",
    r"\tilde{\mathcal{O}}(\sqrt{T})",
    r"\mathbb{E}[\|x_t - x^*\|^2]",
    r"3\times",
    r"p < 0.05",
]

# What the renderer once lacked, as abstracts write it.
HARD = [
    r"a \unicode{x2014} b",
    r"n \unicode{x2013} m",
    r"\big( \sum_i x_i \big)^2",
    r"\Big\{ x : f(x) \Big\}",
    r"\bigl[ a, b \bigr]",
    r"\left. f \right|_{x=0} \bigg|",
    r"{\cal S} \subseteq {\cal X}",
    r"{\bf x}^\top {\rm d}x",
    r"y \prop x^2",
    r"{n \choose k}",
    r"{a \over b} + c",
    r"\OPT \le 2 \ALG",
    r"\poly(n)",
    r"O(n~\log n)",
    r"x \textit{ for all } y",
    r"\textit{multi-view data}",
    r"\mathbbm{1}[x > 0]",
    r"\bm{\theta}",
    r"\mathscr{L}",
]

# TeX around formulas as arXiv abstracts write it, which arXiv's own pages
# show as math and typographic quotes.
SHAPES = [
    r"within a 1$ \sigma$ band",
    r"in $\Omega(n) $ time",
    r"with $ \alpha $ tuned",
    r"gains of $\pm$70 points",
    r"at 75.9$\pm$6.4% accuracy",
    r"the ``sticking'' and ``sliding'' effects",
    r"a `soft' and a `hard' prior",
    r'the ``sliding" and ``rolling" regimes',
    r'the $``$texture sticking$"$ and $``$slip$"$ effects',
    r"in $O(N\log^d(N/\epsilon))$ time",
    r"after $\log_2 n$ rounds",
    r"the value $\rho\max_S f(S)$",
    r"the limit $a\lim_{n\to\infty} b_n$",
    r"a $\sum_{i=1}^n x_i$ term",
]

WORDS = """we propose a method that learns sparse latent representations from noisy
data and show that it improves robustness across benchmarks while keeping
inference cheap our analysis gives tight bounds and experiments confirm the
theory on vision language and control tasks""".split()
ZH = "我们提出一种新的方法，在多个基准上取得了更好的结果，并给出了理论分析。"


def sentence(rng, formulas):
    words = rng.sample(WORDS, 12)
    for f in formulas:
        words.insert(rng.randrange(len(words) + 1), f"${f}$")
    return " ".join(words).capitalize() + "."


def paper(rng, n, hard_share, shape_share):
    hard = rng.random() < hard_share
    formulas = [rng.choice(EVERYDAY) for _ in range(rng.randint(1, 4))]
    if hard:
        formulas.append(rng.choice(HARD))
    rng.shuffle(formulas)
    abstract = " ".join(sentence(rng, formulas[i:i + 2]) for i in range(0, len(formulas), 2))
    if rng.random() < shape_share:
        abstract += f" We observe it {rng.choice(SHAPES)}."
    if hard and rng.random() < 0.2:
        body = f"文本$ n $-gram 模型{ZH}生成${rng.choice(EVERYDAY)}$模型，{ZH}"
    else:
        body = f"{ZH}复杂度为 ${rng.choice(EVERYDAY)}$。"
    day = 1 + n % 28
    return (
        f"content/2024-04-{day:02d}/m{n:06d}.md",
        f"---\nid: \"m{n:06d}\"\ntitle: \"Paper {n}\"\ndate: 2024-04-{day:02d}\n"
        f"abstract: |\n  {abstract}\n---\n{body}\n",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hard-share", type=float, default=0.05,
                        help="the share of papers that use a hard command (default 0.05)")
    parser.add_argument("--shape-share", type=float, default=0.10,
                        help="the share of papers that write TeX around a formula as arXiv does (default 0.10)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    shutil.rmtree(os.path.join(args.out, "content"), ignore_errors=True)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "site.toml"), "w", encoding="utf-8") as f:
        f.write('title = "Math corpus"\nbase_url = "https://example.org/"\nlanguage = "zh"\n')
    for n in range(args.papers):
        path, text = paper(rng, n, args.hard_share, args.shape_share)
        full = os.path.join(args.out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
