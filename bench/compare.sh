#!/usr/bin/env bash
# Build a real-shaped corpus with quire, and beside it another quire binary
# and Hugo, in one session; report what each wrote and what it took.
#
#   bash bench/compare.sh                                   # 65,000 papers, quire and Hugo
#   BASE=path/to/old/quire SIZES="65000 200000" bash bench/compare.sh
#
# Environment:
#   QUIRE      quire binary (default: `cargo build --release`, then target/release/quire)
#   BASE       another quire binary to build beside it (default: none)
#   HUGO       Hugo binary (default: `hugo` when on PATH; HUGO= skips Hugo)
#   SIZES      corpus sizes in papers (default "65000")
#   RUNS       counted runs per tool (default 3); WARMUP uncounted runs first (default 1)
#   SEED       corpus seed (default 1)
#   BENCH_TMP  folder for corpora and outputs (default target/bench in the repository)
#   OUT_TMP    folder for the outputs only (default BENCH_TMP; /dev/shm keeps the disk out of it)
#   KEEP=1     keep each tool's last output (default: removed at the end)
#   GNU_TIME   GNU time binary (default /usr/bin/time)
#
# The corpus is `gen_corpus.py --shape real` (with `--hugo` for Hugo), made once
# per size and seed. Runs alternate between the tools (quire, base, Hugo, quire,
# ...), each into a new output folder removed outside the timed region. Sizes
# are file sizes, as GitHub Pages counts them (`sizes.py`). Progress goes to
# stderr; the tables, in Markdown, to stdout.
set -euo pipefail

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
case "${1:-}" in -h|--help) usage 0 ;; "") ;; *) usage 2 ;; esac

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench")
SIZES=${SIZES:-65000}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
SEED=${SEED:-1}
GNU_TIME=${GNU_TIME:-/usr/bin/time}
HUGO=${HUGO-$(command -v hugo || true)}
BASE=${BASE:-}
say() { echo "compare: $*" >&2; }

# shellcheck source=bench/lib.sh
. "$bench/lib.sh"
need_gnu_time
QUIRE=$(quire_binary)
absolute() { case "$1" in */*) echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;; *) command -v "$1" ;; esac; }
QUIRE=$(absolute "$QUIRE")
[ -n "$BASE" ] && BASE=$(absolute "$BASE")
[ -n "$HUGO" ] && HUGO=$(absolute "$HUGO")

BENCH_TMP=${BENCH_TMP:-$repo/target/bench}
mkdir -p "$BENCH_TMP"
BENCH_TMP=$(cd "$BENCH_TMP" && pwd)
OUT_TMP=${OUT_TMP:-$BENCH_TMP}
mkdir -p "$OUT_TMP"
OUT_TMP=$(cd "$OUT_TMP" && pwd)

tools=(quire)
[ -n "$BASE" ] && tools+=(base)
[ -n "$HUGO" ] && tools+=(hugo)
say "quire: $QUIRE${BASE:+; base: $BASE}${HUGO:+; hugo: $HUGO ($("$HUGO" version | cut -d' ' -f2))}; $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"

# command TOOL CORPUS OUT: the build command, one word a line
command_for() {
  case "$1" in
    quire) printf '%s\n' "$QUIRE" build --root "$2" --output-dir "$3" ;;
    base)  printf '%s\n' "$BASE" build --root "$2" --output-dir "$3" ;;
    hugo)  printf '%s\n' "$HUGO" --source "$2-hugo" --destination "$3" --quiet ;;
  esac
}

median() { sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

for n in $SIZES; do
  corpus=$BENCH_TMP/real-$n-seed$SEED
  stamp="$(cat "$bench"/gen_corpus.py "$bench"/realistic.py "$bench"/words.py "$bench"/hugo_site.py | cksum) papers=$n seed=$SEED hugo=${HUGO:+1}"
  if [ "$(cat "$corpus.stamp" 2>/dev/null)" != "$stamp" ]; then
    say "generating $n papers (seed $SEED)"
    rm -rf "$corpus" "$corpus-hugo" "$corpus.stamp"
    python3 "$bench/gen_corpus.py" --shape real --papers "$n" --seed "$SEED" --out "$corpus" \
      ${HUGO:+--hugo "$corpus-hugo"} >&2
    echo "$stamp" > "$corpus.stamp"
  fi
  digests=$(find "$corpus/content" -mindepth 1 -maxdepth 1 -type d | wc -l)

  for tool in "${tools[@]}"; do : > "$BENCH_TMP/runs-$tool-$n.txt"; done
  for i in $(seq 1 $((WARMUP + RUNS))); do
    # Each run of the tools in another order: none always follows Hugo's
    # run, whose gigabytes the kernel is still reclaiming.
    k=$((i % ${#tools[@]}))
    for tool in "${tools[@]:k}" "${tools[@]:0:k}"; do
      out=$OUT_TMP/out-$tool-$n
      rm -rf "$out"
      sync
      say "$n papers, $tool: run $i of $((WARMUP + RUNS))$([ "$i" -le "$WARMUP" ] && echo ' (warm-up)'); load $(cut -d' ' -f1 /proc/loadavg)"
      mapfile -t cmd < <(command_for "$tool" "$corpus" "$out")
      if ! "$GNU_TIME" -f '%e %U %S %M' -o "$BENCH_TMP/time-$tool.txt" "${cmd[@]}" > "$BENCH_TMP/log-$tool-$n.txt" 2>&1; then
        say "$tool failed; the end of its output:"; tail -n 20 "$BENCH_TMP/log-$tool-$n.txt" >&2; exit 1
      fi
      [ "$i" -le "$WARMUP" ] && continue
      tail -n 1 "$BENCH_TMP/time-$tool.txt" | awk '{print $1, $2 + $3, $4}' >> "$BENCH_TMP/runs-$tool-$n.txt"
    done
  done

  echo
  echo "### $n papers in $digests digests (real shape, seed $SEED; median of $RUNS runs)"
  echo
  printf '| tool | wall s | CPU s | peak MiB | files | MB | KB per paper | files per paper | home KB | largest page KB | largest list page KB | largest feed KB | wall s (min-max) |\n'
  printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
  for tool in "${tools[@]}"; do
    runs=$BENCH_TMP/runs-$tool-$n.txt
    python3 "$bench/sizes.py" "$OUT_TMP/out-$tool-$n" --papers "$n" --json > "$BENCH_TMP/sizes-$tool-$n.json"
    python3 - "$BENCH_TMP/sizes-$tool-$n.json" "$tool" \
      "$(awk '{print $1}' "$runs" | median)" "$(awk '{print $2}' "$runs" | median)" \
      "$(awk '{print $3}' "$runs" | median)" \
      "$(awk 'NR == 1 || $1 < lo {lo = $1} NR == 1 || $1 > hi {hi = $1} END {printf "%.2f-%.2f", lo, hi}' "$runs")" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
tool, wall, cpu, rss, spread = sys.argv[2:]
n, big = m["papers"], m["largest"]
print("| %s | %.2f | %.2f | %.0f | %d | %.1f | %.2f | %.3f | %.1f | %.1f (%s) | %.1f (%s) | %.1f (%s) | %s |" % (
    tool, float(wall), float(cpu), float(rss) / 1024, m["files"], m["bytes"] / 1e6, m["bytes"] / n / 1000,
    m["files"] / n, m["home"] / 1000, big["page"]["bytes"] / 1000, big["page"]["path"],
    big["list"]["bytes"] / 1000, big["list"]["path"], big["feed"]["bytes"] / 1000, big["feed"]["path"], spread))
EOF
  done
  echo
  echo "KB per paper by kind of output (files per paper in brackets):"
  echo
  python3 - "$n" "${tools[@]}" <<EOF
import json, sys
n, tools = int(sys.argv[1]), sys.argv[2:]
sizes = {t: json.load(open("$BENCH_TMP/sizes-%s-%d.json" % (t, n))) for t in tools}
kinds = []
for t in tools:
    kinds += [k for k in sizes[t]["kinds"] if k not in kinds]
print("| kind | " + " | ".join(tools) + " |")
print("| --- |" + " ---: |" * len(tools))
for k in kinds:
    cells = []
    for t in tools:
        v = sizes[t]["kinds"].get(k)
        cells.append("%.2f (%.3f)" % (v["bytes"] / n / 1000, v["files"] / n) if v else "-")
    print("| %s | %s |" % (k, " | ".join(cells)))
EOF
  [ "${KEEP:-0}" = 1 ] && say "outputs kept in $OUT_TMP/out-*-$n" || for tool in "${tools[@]}"; do rm -rf "$OUT_TMP/out-$tool-$n"; done
done
