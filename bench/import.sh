#!/usr/bin/env bash
# Time `quire import` of synthetic inputs in each format; print a Markdown table.
#
#   bash bench/import.sh                              # every format, 3 runs each
#   FORMATS="digest paper-json" RUNS=5 bash bench/import.sh
#
# Environment:
#   QUIRE      quire binary to time (default: `cargo build --release`, then target/release/quire)
#   FORMATS    formats to time (default "digest paper-json jsonl arxiv-api rss rss-atom hf")
#   RUNS       counted runs per format (default 3)
#   BENCH_TMP  folder for inputs and sites (default target/bench in the repository)
#   GNU_TIME   GNU time binary (default /usr/bin/time)
#
# Inputs come from bench/gen_import.py (digest: 30 digests of 6,000 papers;
# paper-json: 65,000 files; the others: 6,000 papers) and are reused when present.
# Each run imports into a new, empty site. The sites stay until the next run of this
# script removes them and waits 35 s before timing: ext4 without a journal makes a
# new file skip inodes freed in the last 30 s, which slows the first runs after a
# large removal.
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
case "${1:-}" in -h|--help) usage 0 ;; "") ;; *) usage 2 ;; esac

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench")
FORMATS=${FORMATS:-digest paper-json jsonl arxiv-api rss rss-atom hf}
RUNS=${RUNS:-3}
GNU_TIME=${GNU_TIME:-/usr/bin/time}
BENCH_TMP=${BENCH_TMP:-$repo/target/bench}
say() { echo "bench: $*" >&2; }

if [ -z "${QUIRE:-}" ]; then
  say "cargo build --release"
  (cd "$repo" && cargo build --release -q)
  QUIRE=$repo/target/release/quire
fi
mkdir -p "$BENCH_TMP"
old=$(find "$BENCH_TMP" -maxdepth 1 -name 'import-runs.*')
if [ -n "$old" ]; then
  say "removing the sites of the last run, then waiting 35 s"
  rm -rf $old
  sync
  sleep 35
fi
runs=$(mktemp -d "$BENCH_TMP/import-runs.XXXXXX")

echo "| format | papers | inputs | wall s (median) | papers/s | CPU s (median) | peak RSS MiB | wall s (min-max) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for format in $FORMATS; do
  papers=6000
  [ "$format" = paper-json ] && papers=65000
  input=$BENCH_TMP/import-$format-$papers
  if [ ! -d "$input" ]; then
    say "writing $input"
    python3 "$bench/gen_import.py" --format "$format" --papers "$papers" --out "$input"
  fi
  args=("$input")
  [ "$format" = paper-json ] && args+=(--date 2024-04-02)
  walls=()
  cpus=()
  rss=0
  for run in $(seq "$RUNS"); do
    site=$runs/$format-$run
    mkdir -p "$site"
    printf 'title = "Bench"\nbase_url = "/"\nlanguage = "zh"\n' > "$site/site.toml"
    sync
    (cd "$site" && "$GNU_TIME" -f "%e %U %S %M" -o "$site/time" "$QUIRE" import "${args[@]}" > "$site/out")
    read -r wall user sys kb < "$site/time"
    walls+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
    [ "$kb" -gt "$rss" ] && rss=$kb
    say "$format run $run: ${wall}s $(cat "$site/out")"
  done
  sorted=$(printf '%s\n' "${walls[@]}" | sort -n)
  median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  inputs=$(find "$input" -type f | wc -l)
  rate=$(awk -v p="$papers" -v w="$median" 'BEGIN { printf "%d", p / w }')
  echo "| $format | $papers | $inputs | $median | $rate | $cpu | $((rss / 1024)) | $(echo "$sorted" | head -1)-$(echo "$sorted" | tail -1) |"
done
