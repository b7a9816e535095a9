#!/usr/bin/env bash
# Runs a command beside 2 × cores busy loops (a busy machine, as in /work/shared/ATTACKS.md), then
# stops them and exits with the command's status. The load average is printed before and after.
#
#   bash scripts/with-cpu-hog.sh npx vitest run test/integration/faults.test.ts
#
# FANOUT_CPU_HOG_PROCESSES overrides the number of busy loops (default: 2 × nproc).
set -uo pipefail
if [ $# -eq 0 ]; then
  echo "usage: bash scripts/with-cpu-hog.sh COMMAND [ARG…]" >&2
  exit 2
fi
hogs=${FANOUT_CPU_HOG_PROCESSES:-$(( 2 * $(nproc) ))}
pids=()
stop_hogs() {
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
  pids=()
}
trap 'stop_hogs' EXIT
trap 'stop_hogs; exit 130' INT
trap 'stop_hogs; exit 143' TERM
for _ in $(seq "$hogs"); do
  # A shell busy loop: pure CPU, no memory, no I/O. Each is its own process, killed by pid.
  bash -c 'while :; do :; done' &
  pids+=("$!")
done
echo "cpu-hog: ${hogs} busy loop(s) on $(nproc) core(s); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$@" &
command_pid=$!
# Sample the load while the command runs: the 1-minute average needs a minute to climb.
peak=0
while kill -0 "$command_pid" 2>/dev/null; do
  load=$(cut -d' ' -f1 /proc/loadavg)
  peak=$(awk -v a="$load" -v b="$peak" 'BEGIN { print (a > b) ? a : b }')
  sleep 1
done
wait "$command_pid"
status=$?
echo "cpu-hog: command exited ${status}; 1-min load average peaked at ${peak} (now $(cut -d' ' -f1-3 /proc/loadavg))" >&2
exit "$status"
