#!/usr/bin/env bash
# Interleaved wall-clock comparison of whole commands, for the figures docs/benchmarks.md
# gives "by hand":
#   bench/probes/interleave.sh ROUNDS LABEL "COMMAND" [LABEL "COMMAND" ...]
# runs each command once per round, in turn (so drift in the machine's load hits all of them
# alike), and prints each label's median, minimum and every time, in ms.
set -euo pipefail
rounds=$1
shift
labels=()
commands=()
while (($# > 0)); do
  labels+=("$1")
  commands+=("$2")
  shift 2
done
for _ in $(seq "$rounds"); do
  for i in "${!commands[@]}"; do
    start=$(date +%s%N)
    bash -c "${commands[$i]}" >/dev/null 2>&1
    end=$(date +%s%N)
    echo "${labels[$i]} $(((end - start) / 1000000))"
  done
done | awk '
  { times[$1] = times[$1] " " $2 }
  END {
    for (label in times) {
      n = split(times[label], t, " "); asort(t)
      printf "%-12s median %d  min %d  all:%s\n", label, t[int((n + 1) / 2)], t[1], times[label]
    }
  }'
