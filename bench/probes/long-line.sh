#!/usr/bin/env bash
# Wall time and peak RSS of `parex run` on one task that prints a single line of MB megabytes
# without a newline, in each output mode, as docs/benchmarks.md gives them:
#   bench/probes/long-line.sh MB [ROOT]
# ROOT is the checkout whose bin/parex.js runs (default: this one). Each mode is timed once by
# /usr/bin/time -v; the terminal mode runs on a pseudo-terminal made by script(1).
set -euo pipefail
mb=$1
root=$(cd "${2:-$(dirname "$0")/../..}" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/parex.config.json" <<JSON
{ "tasks": { "long": { "run": ["node", "-e", "process.stdout.write('x'.repeat(${mb}e6))"] } } }
JSON
measure() {
  local label=$1
  shift
  grep -E 'Elapsed|Maximum resident' "$dir/time" |
    awk -v label="$label" '/Elapsed/ { wall = $NF } /Maximum/ { rss = $NF }
      END { printf "%-24s wall %s  peak RSS %d MB\n", label, wall, rss / 1024 }'
}
cd "$dir"
for mode in stream grouped none; do
  /usr/bin/time -v -o "$dir/time" node "$root/bin/parex.js" run --output "$mode" >/dev/null 2>&1
  measure "--output $mode (pipe)"
done
script -qec "/usr/bin/time -v -o '$dir/time' node '$root/bin/parex.js' run" /dev/null >/dev/null 2>&1
measure "--output stream (tty)"
