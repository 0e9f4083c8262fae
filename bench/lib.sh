# What the timing scripts (compare.sh, check.sh) share; sourced, not run.
# Each sets `say` (its progress line on stderr) and `repo` first.

# Exits 2 unless $GNU_TIME is GNU time (the shell's `time` reports no peak memory).
need_gnu_time() {
  "$GNU_TIME" --version 2>&1 | grep -q GNU || { say "needs GNU time at $GNU_TIME (GNU_TIME=...)"; exit 2; }
}

# Prints $QUIRE, or builds the repository's quire in release mode and prints its path.
quire_binary() {
  if [ -n "${QUIRE:-}" ]; then
    echo "$QUIRE"
    return
  fi
  say "cargo build --release"
  (cd "$repo" && cargo build --release --quiet) || { say "cargo build --release failed"; exit 1; }
  echo "${CARGO_TARGET_DIR:-$repo/target}/release/quire"
}
