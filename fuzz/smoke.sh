#!/usr/bin/env bash
# Brief fuzzing for CI: each target runs on its checked-in seed corpus plus
# what libFuzzer derives from it, for FUZZ_RUNS executions (default 10000) or
# FUZZ_SECONDS seconds (default 20), whichever comes first. A crash, panic,
# stack overflow or timeout fails the script (exit 1) and leaves the input in
# fuzz/artifacts/<target>/. See docs/robustness.md.
#
# Needs cargo-fuzz (installed here if missing: `cargo install cargo-fuzz`)
# and a C++ compiler (libfuzzer-sys builds libFuzzer). Works on stable Rust
# with `-s none` (coverage instrumentation without a sanitizer).
#
# Where it must run, it fails when it cannot: in CI (CI=true) on Linux
# x86_64 with cargo on PATH, a missing C++ compiler or a failed install of
# cargo-fuzz is exit 1, not a skip. Elsewhere (a laptop, another platform)
# it says loudly why it is skipped and exits 0. FUZZ_SKIP=1 skips it
# anywhere, on purpose, and says so just as loudly.
set -euo pipefail
cd "$(dirname "$0")"

RUNS="${FUZZ_RUNS:-10000}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"
TARGETS=(parse_rules load_scenario check discover_config)
PLATFORM="$(uname -s)-$(uname -m)"

banner() {
  echo "fuzz smoke: ==================================================================" >&2
  echo "fuzz smoke: $*" >&2
  echo "fuzz smoke: ==================================================================" >&2
  if [ "${GITHUB_ACTIONS:-}" = "true" ]; then
    echo "::warning title=fuzz smoke::$*"
  fi
}

skip() {
  banner "SKIPPED: $* (no fuzzing was done)"
  exit 0
}

# Where the fuzz smoke run is expected to work, not running is a failure.
required=false
if [ "${CI:-}" = "true" ] && [ "$PLATFORM" = "Linux-x86_64" ] && command -v cargo >/dev/null 2>&1; then
  required=true
fi

cannot_run() {
  if [ "$required" = true ]; then
    banner "FAILED: cannot run: $* (CI=true on $PLATFORM with cargo, where it must run; set FUZZ_SKIP=1 to skip it on purpose)"
    exit 1
  fi
  skip "$*"
}

if [ -n "${FUZZ_SKIP:-}" ] && [ "${FUZZ_SKIP}" != "0" ]; then
  skip "FUZZ_SKIP=${FUZZ_SKIP} was set"
fi

command -v cargo >/dev/null 2>&1 || cannot_run "no cargo on PATH"
if ! command -v c++ >/dev/null 2>&1 && ! command -v g++ >/dev/null 2>&1 && ! command -v clang++ >/dev/null 2>&1; then
  cannot_run "no C++ compiler (libfuzzer-sys needs one: apt-get install g++)"
fi
case "$PLATFORM" in
  Linux-x86_64 | Linux-aarch64 | Darwin-*) ;;
  *) cannot_run "libFuzzer is not supported on $PLATFORM" ;;
esac

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: installing cargo-fuzz (cargo install cargo-fuzz --locked)"
  cargo install cargo-fuzz --locked --quiet || cannot_run "cargo install cargo-fuzz failed"
fi

echo "fuzz smoke: building ${TARGETS[*]} (cargo fuzz build -s none -a)"
if ! cargo fuzz build -s none -a; then
  # A build failure of the targets themselves is a real failure anywhere.
  echo "fuzz smoke: cargo fuzz build failed" >&2
  exit 1
fi

status=0
for target in "${TARGETS[@]}"; do
  work="$(mktemp -d)"
  # Targets that need files (discover_config) make them under TMPDIR:
  # a scratch directory of their own, removed afterwards.
  scratch="$(mktemp -d)"
  mkdir -p "artifacts/$target"
  echo "fuzz smoke: $target ($RUNS runs or ${SECONDS_PER_TARGET}s)"
  # New inputs go to a scratch directory; the checked-in corpus is only read.
  if ! TMPDIR="$scratch" cargo fuzz run -s none -a "$target" "$work" "corpus/$target" -- \
    -runs="$RUNS" -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="artifacts/$target/" 2>"$work.log"; then
    status=1
    echo "fuzz smoke: $target FAILED; input saved under fuzz/artifacts/$target/" >&2
    tail -40 "$work.log" >&2
  else
    units="$(grep -Eo "stat::number_of_executed_units: *[0-9]+" "$work.log" | grep -Eo "[0-9]+$" || true)"
    if [ -z "$units" ] || [ "$units" -eq 0 ]; then
      # libFuzzer exited 0 without running anything: that is not a pass.
      status=1
      echo "fuzz smoke: $target ran no input" >&2
      tail -40 "$work.log" >&2
    fi
    grep -E "stat::number_of_executed_units|stat::average_exec_per_sec" "$work.log" | sed "s/^/  $target: /" || true
  fi
  rm -rf "$work" "$work.log" "$scratch"
done
exit "$status"
