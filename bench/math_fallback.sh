#!/usr/bin/env bash
# The share of papers whose math a reader sees wrong, on the corpus of
# bench/gen_math.py (every paper there has math): builds it with each quire
# binary given and counts the papers with a formula shown as its source
# ("unsupported TeX" warnings) and, in the digest pages (bench/math_shown.py),
# those with a `$` left in the text, code made of TeX quotes in the abstract,
# or an operator's scripts on an empty base.
#
#   bash bench/math_fallback.sh target/debug/quire [other/quire ...]
# Settings: PAPERS (20000), SEED (1), BENCH_TMP (target/bench).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bash bench/math_fallback.sh QUIRE..." >&2; exit 2; }
papers=${PAPERS:-20000}
seed=${SEED:-1}
tmp=${BENCH_TMP:-target/bench}
here=$(dirname "$0")
corpus="$tmp/math-$papers-seed$seed"
python3 "$here/gen_math.py" --papers "$papers" --seed "$seed" --out "$corpus"
echo "| binary | papers | formula shown as source | \`\$\` left in text | code from TeX quotes | operator on an empty base | any of these | rate |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for quire in "$@"; do
  out="$tmp/math-out"
  rm -rf "$out"
  "$quire" build --root "$corpus" --output-dir "$out" 2>"$tmp/math-warnings" >/dev/null
  { grep 'unsupported TeX' "$tmp/math-warnings" || true; } \
    | sed -E 's/^warning: ([^:]+): .*/\1/' | xargs -r -n1 basename | sed 's/\.md$//' | sort -u >"$tmp/math-source"
  python3 "$here/math_shown.py" "$out" >"$tmp/math-shown.json"
  python3 - "$quire" "$papers" "$tmp/math-source" "$tmp/math-shown.json" <<'PY'
import json, sys
quire, papers, source, shown = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
as_source = set(open(source).read().split())
found = json.load(open(shown))
wrong = as_source | set(found["ids"])
rate = f"{100 * len(wrong) / papers:.3f}%"
print(f"| `{quire}` | {papers} | {len(as_source)} | {found['$']} | {found['code']} | {found['base']} | {len(wrong)} | {rate} |")
PY
done
