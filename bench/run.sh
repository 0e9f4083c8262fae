#!/usr/bin/env bash
# Time `quire build` on synthetic corpora of several sizes; print a Markdown table.
#
#   bash bench/run.sh                       # 1,000 / 10,000 / 50,000 papers, 3 runs each
#   SIZES="1000 10000" RUNS=5 bash bench/run.sh
#
# Environment:
#   QUIRE      quire binary to time (default: `cargo build --release`, then target/release/quire)
#   SIZES      corpus sizes in papers (default "1000 10000 50000")
#   RUNS       counted runs per size (default 3); WARMUP uncounted runs first (default 1)
#   SEED       corpus seed (default 1)
#   BENCH_TMP  folder for corpora and outputs (default target/bench in the repository)
#   KEEP=1     keep the last output of each size (default: removed at the end)
#   GNU_TIME   GNU time binary (default /usr/bin/time; macOS with Homebrew: gtime)
#
# Corpora are made by bench/gen_corpus.py and reused while the generator, size and
# seed are unchanged. Every run builds into a fresh output folder; removing the
# previous one happens outside the timed region. Progress goes to stderr, the
# table to stdout.
set -euo pipefail

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
case "${1:-}" in -h|--help) usage 0 ;; "") ;; *) usage 2 ;; esac

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench")
SIZES=${SIZES:-1000 10000 50000}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
SEED=${SEED:-1}
GNU_TIME=${GNU_TIME:-/usr/bin/time}
say() { echo "bench: $*" >&2; }

if ! "$GNU_TIME" --version 2>&1 | grep -q GNU; then
  cat >&2 <<EOF
bench: needs GNU time at $GNU_TIME (the shell's 'time' keyword cannot report peak memory).
  Debian/Ubuntu: sudo apt-get install time
  Fedora/RHEL:   sudo dnf install time
  macOS:         brew install gnu-time, then GNU_TIME=gtime bash bench/run.sh
EOF
  exit 2
fi

# The binary: given, or a release build of this checkout.
if [ -z "${QUIRE:-}" ]; then
  say "cargo build --release"
  (cd "$repo" && cargo build --release --quiet) || { say "cargo build --release failed"; exit 1; }
  QUIRE=${CARGO_TARGET_DIR:-$repo/target}/release/quire
fi
case "$QUIRE" in
  */*) QUIRE=$(cd "$(dirname "$QUIRE")" && pwd)/$(basename "$QUIRE") ;;
  *)   QUIRE=$(command -v "$QUIRE") || { say "no $QUIRE on PATH"; exit 2; } ;;
esac
[ -x "$QUIRE" ] || { say "$QUIRE is not an executable"; exit 2; }

# A relative BENCH_TMP is taken from the current folder; the default lives in target/.
BENCH_TMP=${BENCH_TMP:-$repo/target/bench}
mkdir -p "$BENCH_TMP"
BENCH_TMP=$(cd "$BENCH_TMP" && pwd)
say "quire: $QUIRE ($("$QUIRE" --version 2>/dev/null || echo 'no --version')); $(nproc) CPUs; work folder: $BENCH_TMP"

median() { sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

printf '| papers | digests | wall s (median) | CPU s (median) | peak RSS MiB (median) | HTML files | output MB | wall s (min-max) |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
status=0
for n in $SIZES; do
  corpus=$BENCH_TMP/corpus-$n-seed$SEED
  stamp="$(cat "$bench/gen_corpus.py" "$bench/realistic.py" "$bench/words.py" | cksum) papers=$n seed=$SEED"
  if [ "$(cat "$corpus.stamp" 2>/dev/null)" != "$stamp" ]; then
    say "generating $n papers (seed $SEED)"
    rm -rf "$corpus" "$corpus.stamp"
    python3 "$bench/gen_corpus.py" --papers "$n" --seed "$SEED" --out "$corpus" >&2
    echo "$stamp" > "$corpus.stamp"
  fi
  digests=$(find "$corpus/content" -mindepth 1 -maxdepth 1 -type d | wc -l)

  out=$BENCH_TMP/out-$n
  runs=$BENCH_TMP/runs-$n.txt
  : > "$runs"
  failed=0
  for i in $(seq 1 $((WARMUP + RUNS))); do
    rm -rf "$out"
    sync  # flush the deleted output now, not during the timed build
    say "$n papers: run $i of $((WARMUP + RUNS))$([ "$i" -le "$WARMUP" ] && echo ' (warm-up)')"
    if ! "$GNU_TIME" -f '%e %U %S %M' -o "$BENCH_TMP/time-$n.txt" \
        "$QUIRE" build --root "$corpus" --output-dir "$out" > "$BENCH_TMP/log-$n.txt" 2>&1; then
      say "$n papers: quire build failed; the end of its output:"
      tail -n 20 "$BENCH_TMP/log-$n.txt" >&2
      failed=1; status=1; break
    fi
    [ "$i" -le "$WARMUP" ] && continue
    # wall, user + sys, max RSS KiB (last line: GNU time may print a status line first)
    tail -n 1 "$BENCH_TMP/time-$n.txt" | awk '{print $1, $2 + $3, $4}' >> "$runs"
  done
  if [ "$failed" = 1 ]; then
    printf '| %s | %s | failed | | | | | |\n' "$n" "$digests"
    continue
  fi
  say "$n papers: $(tail -n 1 "$BENCH_TMP/log-$n.txt")"

  wall=$(awk '{print $1}' "$runs" | median)
  cpu=$(awk '{print $2}' "$runs" | median)
  rss=$(awk '{print $3}' "$runs" | median)
  spread=$(awk 'NR == 1 || $1 < lo {lo = $1} NR == 1 || $1 > hi {hi = $1} END {printf "%.2f-%.2f", lo, hi}' "$runs")
  html=$(find "$out" -type f -name '*.html' | wc -l)
  bytes=$(find "$out" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  pages=$( { find "$out/paper" -mindepth 2 -maxdepth 2 -name index.html 2>/dev/null || true; } | wc -l)
  [ "$pages" = "$n" ] || say "warning: $n papers but $pages paper pages (out/paper/<id>/index.html)"
  printf '| %s | %s | %.2f | %.2f | %.0f | %s | %.1f | %s |\n' "$n" "$digests" "$wall" "$cpu" \
    "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$html" "$(awk -v b="$bytes" 'BEGIN {print b / 1e6}')" "$spread"
  [ "${KEEP:-0}" = 1 ] && say "output kept in $out" || rm -rf "$out"
done
exit "$status"
