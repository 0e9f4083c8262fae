#!/usr/bin/env python3
r"""Split STIX Two Math into the subsets the default theme serves.

    pip install fonttools brotli      # fontTools 4.x; brotli writes woff2
    python3 themes/default/fonts-src/subset.py

A page with a formula then downloads the subsets its characters fall in,
by the `unicode-range` of each `@font-face` in `static/style.css`, instead
of the whole font (403 KB): `core` (Latin, Greek capitals, the italic
letters MathML draws single-letter identifiers with, operators, common
arrows and brackets, the letters of `\mathcal` and `\mathbb`) for any
formula; `letters` (bold, bold italic, bold Greek, bold script, italic
Greek capitals) and `other` (every other character of the font) only for
a formula that shows one. A browser picks the faces a page needs by the
characters in it: `<mi>x</mi>` needs `x`, which MathML draws as `𝑥`, so
`core` has both.

Each subset keeps the font's MATH table (its constants, and the size
variants and parts of the stretchy characters it holds: fontTools adds
those glyphs to the subset), the layout features browsers apply by
default (not its stylistic sets), and no hinting. The
source is `stix-two-math.woff2` beside this script (STIX Two Math 2.12,
SIL Open Font License 1.1: `static/fonts/OFL.txt`). The script writes
`static/fonts/stix-two-math-<name>.woff2` and prints the `@font-face`
rules and the `math` rule for `static/style.css`; run it again after
changing a range.
"""

import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "stix-two-math.woff2")
OUT = os.path.join(HERE, "..", "static", "fonts")

# The OpenType features browsers apply to formulas by default (and `ssty`,
# `dtls`, `flac` of math layout); the font's stylistic sets and character
# variants are left out.
FEATURES = ["ccmp", "locl", "rlig", "rvrn", "liga", "clig", "calt", "kern", "mark", "mkmk", "ssty", "dtls", "flac"]

# (name, ranges): code points as (first, last), inclusive. `other` is every
# character of the font no earlier subset has.
SUBSETS = [
    ("core", [
        (0x20, 0x7E),  # ASCII: digits, Latin letters, + = < > ( ) [ ] { } |
        (0xA0, 0xA0), (0xAC, 0xAC), (0xAF, 0xB1), (0xB4, 0xB5), (0xB7, 0xB7), (0xD7, 0xD7), (0xF7, 0xF7),
        (0x131, 0x131), (0x237, 0x237),  # dotless i and j, under accents
        (0x2C6, 0x2C7), (0x2D8, 0x2DC),  # accents: hat, caron, breve, dot, ring, tilde
        # Greek: the capitals upright as TeX sets them; the small letters are
        # what a page holds (µ for \mu), which browsers draw in italic.
        (0x391, 0x3A9), (0x3B1, 0x3C9), (0x3D1, 0x3D1), (0x3D5, 0x3D6), (0x3F0, 0x3F1), (0x3F5, 0x3F5),
        (0x2013, 0x2014), (0x2016, 0x2016), (0x2020, 0x2021), (0x2026, 0x2026), (0x2032, 0x2037),
        (0x2057, 0x2057), (0x2061, 0x2064),  # primes, invisible function application and times
        (0x20D7, 0x20D7),  # combining vector arrow
        (0x210F, 0x210F), (0x2111, 0x2111), (0x2113, 0x2113), (0x2118, 0x2118), (0x211C, 0x211C),
        (0x2135, 0x2135),  # ℏ ℑ ℓ ℘ ℜ ℵ
        (0x2190, 0x2199), (0x21A6, 0x21A6), (0x21D0, 0x21D5),  # arrows: → ↦ ⇒ ⇔
        (0x2200, 0x22FF),  # mathematical operators: ∑ ∫ √ ∈ ≤ ∞ ∂ ∇ ⋯
        (0x2308, 0x230B), (0x27E8, 0x27E9), (0x27F5, 0x27FA),  # ⌈ ⌉ ⌊ ⌋ ⟨ ⟩ long arrows
        # Single-letter identifiers: MathML draws them italic (x -> 𝑥, α -> 𝛼),
        # but a browser picks the faces to fetch by the letters in the page.
        (0x1D434, 0x1D467), (0x1D6A4, 0x1D6A5), (0x1D6FB, 0x1D71B),  # and ∇ -> 𝛻, ∂ -> 𝜕
        # The letters of \mathcal and \mathbb: 𝒪(n), ℒ, ℝ, 𝔼 (abstracts
        # lowercased by their producer write \mathcal{o}: ℴ).
        (0x1D49C, 0x1D4CF), (0x210A, 0x210B), (0x2110, 0x2110), (0x2112, 0x2112), (0x211B, 0x211B),
        (0x212C, 0x212C), (0x212F, 0x2131), (0x2133, 0x2134),
        (0x1D538, 0x1D56B), (0x2102, 0x2102), (0x210D, 0x210D), (0x2115, 0x2115), (0x2119, 0x211A),
        (0x211D, 0x211D), (0x2124, 0x2124),
    ]),
    ("letters", [
        (0x1D400, 0x1D433),  # bold: \mathbf{x}
        (0x1D6E2, 0x1D6FA),  # italic Greek capitals
        (0x1D4D0, 0x1D503),  # bold script
        (0x1D7D8, 0x1D7E1), (0x213C, 0x2140), (0x2145, 0x2149),  # double-struck digits and italics
        (0x1D468, 0x1D49B), (0x1D6A8, 0x1D6E1), (0x1D71C, 0x1D755), (0x1D7CE, 0x1D7D7),  # bold italic, bold Greek
    ]),
]


def ranges_of(points):
    """Sorted code points as (first, last) runs."""
    runs = []
    for p in sorted(points):
        if runs and runs[-1][1] == p - 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return [tuple(r) for r in runs]


def css_range(runs):
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


def family(name):
    """The CSS family a subset is served as: each its own family, `core` the
    first. A family of several faces split by `unicode-range` draws the same
    glyphs, but Firefox then places the scripts of an integral without its
    italic correction (`\\int_0^1` puts the 0 right of the sign, not under
    its tail); a family of one face keeps them as the whole font does."""
    return "STIX Two Math" if name == "core" else f"STIX Two Math {name.title()}"


def main():
    font_points = set(TTFont(SOURCE).getBestCmap())
    taken = set()
    plan = []
    for name, ranges in SUBSETS:
        points = {p for a, b in ranges for p in range(a, b + 1)} & font_points
        points -= taken
        taken |= points
        plan.append((name, points))
    plan.append(("other", font_points - taken))
    os.makedirs(OUT, exist_ok=True)
    rules = []
    for name, points in plan:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = FEATURES
        options.hinting = False
        options.desubroutinize = True
        # The default name records: the copyright notice and the names.
        font = subset.load_font(SOURCE, options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=points)
        subsetter.subset(font)
        path = os.path.join(OUT, f"stix-two-math-{name}.woff2")
        subset.save_font(font, path, options)
        print(f"{name}: {len(points)} characters, {os.path.getsize(path):,} bytes", file=sys.stderr)
        runs = ranges_of(points)
        rules.append(
            "@font-face {\n"
            f'  font-family: "{family(name)}"; src: local("STIX Two Math"), url(fonts/stix-two-math-{name}.woff2) format("woff2");\n'
            f"  font-style: normal; font-weight: 400; font-display: swap;\n  unicode-range: {css_range(runs)};\n}}"
        )
    families = ", ".join(f'"{family(name)}"' for name, _ in plan)
    rules.append(f"math {{ font-family: {families}, math; }}")
    print("\n".join(rules))


if __name__ == "__main__":
    main()
