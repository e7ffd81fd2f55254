#!/usr/bin/env bash
# verdict.sh SERIAL_LOG [EMULATOR_LOG]
# Decides a run's outcome from the kernel's serial output alone (docs/serial.md); the emulator's
# own log only tells a triple fault from a silent death. Prints one word and exits with its code:
#   PASS 0       "gatehouse: poweroff ok", no PANIC line, no failed self-test case
#   FAIL 1       "gatehouse: poweroff fail", a PANIC line, or "selftest: N passed, M>0 failed"
#   TRIPLE 3     no verdict, and the emulator reports a triple fault or a reset
#   NOVERDICT 4  anything else (the kernel never said how it ended)
# (TIMEOUT, 2, is decided by the runner, which knows the clock.)
set -uo pipefail
serial=$1
emu=${2:-}
text=$(tr -d '\r' 2>/dev/null < "$serial" || true)

say() { echo "$1"; exit "$2"; }

failed_cases=$(grep -E '^selftest: [0-9]+ passed, [0-9]+ failed' <<<"$text" | sed -E 's/.* ([0-9]+) failed.*/\1/' | tail -n 1)
if grep -q '^PANIC' <<<"$text" || grep -q '^gatehouse: poweroff fail' <<<"$text" ||
   { [ -n "$failed_cases" ] && [ "$failed_cases" -gt 0 ]; }; then
    say FAIL 1
fi
grep -q '^gatehouse: poweroff ok' <<<"$text" && say PASS 0
# QEMU (-d cpu_reset) logs "Triple fault"; Bochs (reset_on_triple_fault=0) panics with
# "3rd (13) exception with no resolution" (with resets on: "..., shutdown status is 00h, resetting").
# Not "CPU Reset": QEMU logs that twice at every start.
if [ -n "$emu" ] && [ -f "$emu" ] &&
   grep -qE 'Triple fault|3rd \([0-9]+\) exception with no resolution' "$emu"; then
    say TRIPLE 3
fi
say NOVERDICT 4
