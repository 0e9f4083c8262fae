#!/usr/bin/env bash
# Time `quire check` beside `quire build` of the same site, for one quire
# binary and another, in one session: how much more a check costs than the
# build it checks.
#
#   bash bench/check.sh                                 # 65,000 papers, days up to 1,200
#   BASE=path/to/old/quire RUNS=5 bash bench/check.sh
#
# Environment:
#   QUIRE      quire binary (default: `cargo build --release`, then target/release/quire)
#   BASE       another quire binary to time beside it (default: none)
#   ROOT       the site (default: a real-shaped corpus of PAPERS papers with a
#              largest day of 1,200, made once in BENCH_TMP)
#   PAPERS     papers in that corpus (default 65000)
#   RUNS       counted runs of each command (default 3); WARMUP uncounted runs first (default 1)
#   BENCH_TMP  folder for the corpus and the logs (default target/bench in the repository)
#   OUT_TMP    folder for the build's output (default BENCH_TMP; /dev/shm keeps the disk out of it)
#   GNU_TIME   GNU time binary (default /usr/bin/time)
#
# Each run builds the site into a new folder, then checks it (check renders
# the site in memory itself), alternating between the binaries. The table
# gives, per binary and command, the median wall and CPU (user + system)
# seconds and peak memory, and check's CPU time and memory as multiples of
# the build's. On a shared machine CPU time is steadier than wall time.
# Progress goes to stderr; the table, in Markdown, to stdout.
set -euo pipefail

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
case "${1:-}" in -h|--help) usage 0 ;; "") ;; *) usage 2 ;; esac

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench")
PAPERS=${PAPERS:-65000}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
GNU_TIME=${GNU_TIME:-/usr/bin/time}
BASE=${BASE:-}
say() { echo "check.sh: $*" >&2; }

# shellcheck source=bench/lib.sh
. "$bench/lib.sh"
need_gnu_time
QUIRE=$(quire_binary)
BENCH_TMP=${BENCH_TMP:-$repo/target/bench}
mkdir -p "$BENCH_TMP"
OUT_TMP=${OUT_TMP:-$BENCH_TMP}
mkdir -p "$OUT_TMP"

if [ -z "${ROOT:-}" ]; then
  ROOT=$BENCH_TMP/real-$PAPERS-largest-1200
  stamp="$(cat "$bench"/gen_corpus.py "$bench"/realistic.py "$bench"/words.py | cksum) papers=$PAPERS"
  if [ "$(cat "$ROOT.stamp" 2>/dev/null)" != "$stamp" ]; then
    say "generating $PAPERS papers"
    rm -rf "$ROOT" "$ROOT.stamp"
    python3 "$bench/gen_corpus.py" --shape real --papers "$PAPERS" --largest-day 1200 --out "$ROOT" >&2
    echo "$stamp" > "$ROOT.stamp"
  fi
fi

tools=(quire)
[ -n "$BASE" ] && tools+=(base)
binary() { if [ "$1" = base ]; then echo "$BASE"; else echo "$QUIRE"; fi; }
say "quire: $QUIRE${BASE:+; base: $BASE}; site: $ROOT; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

for tool in "${tools[@]}"; do
  for command in build check; do : > "$BENCH_TMP/check-runs-$tool-$command.txt"; done
done
for i in $(seq 1 $((WARMUP + RUNS))); do
  for tool in "${tools[@]}"; do
    out=$OUT_TMP/check-out-$tool
    for command in build check; do
      rm -rf "$out"
      sync
      say "$tool $command: run $i of $((WARMUP + RUNS))$([ "$i" -le "$WARMUP" ] && echo ' (warm-up)'); load $(cut -d' ' -f1 /proc/loadavg)"
      args=("$(binary "$tool")" "$command" --root "$ROOT")
      [ "$command" = build ] && args+=(--output-dir "$out")
      log=$BENCH_TMP/check-log-$tool-$command.txt
      if ! "$GNU_TIME" -f '%e %U %S %M' -o "$BENCH_TMP/check-time.txt" "${args[@]}" > "$log" 2>&1; then
        say "$tool $command failed; the end of its output:"; tail -n 20 "$log" >&2; exit 1
      fi
      [ "$i" -le "$WARMUP" ] && continue
      tail -n 1 "$BENCH_TMP/check-time.txt" | awk '{print $1, $2 + $3, $4}' >> "$BENCH_TMP/check-runs-$tool-$command.txt"
    done
    rm -rf "$out"
  done
done

echo
echo "### \`quire check\` beside \`quire build\`: $(find "$ROOT/content" -name '*.md' | wc -l) papers in $(find "$ROOT/content" -mindepth 1 -maxdepth 1 -type d | wc -l) digests (median of $RUNS runs; load $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
echo
echo "| binary | command | wall s | CPU s | peak MiB | CPU vs build | memory vs build | CPU s (min-max) |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for tool in "${tools[@]}"; do
  build=$BENCH_TMP/check-runs-$tool-build.txt
  for command in build check; do
    runs=$BENCH_TMP/check-runs-$tool-$command.txt
    awk -v tool="$tool" -v command="$command" \
      -v wall="$(awk '{print $1}' "$runs" | median)" -v cpu="$(awk '{print $2}' "$runs" | median)" \
      -v rss="$(awk '{print $3}' "$runs" | median)" \
      -v build_cpu="$(awk '{print $2}' "$build" | median)" -v build_rss="$(awk '{print $3}' "$build" | median)" \
      'NR == 1 || $2 < lo {lo = $2} NR == 1 || $2 > hi {hi = $2}
       END {printf "| %s | %s | %.1f | %.1f | %.0f | %.2fx | %.2fx | %.1f-%.1f |\n",
              tool, command, wall, cpu, rss / 1024, cpu / build_cpu, rss / build_rss, lo, hi}' "$runs"
  done
done
tail -n 1 "$BENCH_TMP/check-log-quire-check.txt" >&2
