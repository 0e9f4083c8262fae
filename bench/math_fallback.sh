#!/usr/bin/env bash
# The share of papers with a formula shown as its source, on the corpus of
# bench/gen_math.py (every paper there has math): builds it with each quire
# binary given and counts the papers named by "unsupported TeX" warnings.
#
#   bash bench/math_fallback.sh target/debug/quire [other/quire ...]
# Settings: PAPERS (20000), SEED (1), BENCH_TMP (target/bench).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bash bench/math_fallback.sh QUIRE..." >&2; exit 2; }
papers=${PAPERS:-20000}
seed=${SEED:-1}
tmp=${BENCH_TMP:-target/bench}
corpus="$tmp/math-$papers-seed$seed"
python3 "$(dirname "$0")/gen_math.py" --papers "$papers" --seed "$seed" --out "$corpus"
echo "| binary | papers | papers with a formula shown as source | rate |"
echo "| --- | --- | --- | --- |"
for quire in "$@"; do
  out="$tmp/math-out"
  rm -rf "$out"
  failed=$("$quire" build --root "$corpus" --output-dir "$out" 2>&1 >/dev/null \
    | { grep 'unsupported TeX' || true; } | sed -E 's/^warning: ([^:]+): .*/\1/' | sort -u | wc -l)
  rate=$(python3 -c "print(f'{100 * $failed / $papers:.3f}%')")
  echo "| \`$quire\` | $papers | $failed | $rate |"
done
