#!/usr/bin/env bash
# make fuzz: one long run of the ring-3 system-call fuzzer (docs/reliability.md, "System-call
# fuzzing"), bounded by a timeout scaled to N, and its summary with host calls per second.
#   N=<calls> SEED=<seed> EMU=qemu|bochs CPU=<model> SYSCALL=auto|sysenter|gate|int AVOID=<list>
# Exit status: 0 when the kernel said PASS, the FUZZ line is there with wrong=0 and the fuzzer exited 0.
set -uo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000} SEED=${SEED:-1} EMU=${EMU:-qemu} SYSCALL=${SYSCALL:-auto} AVOID=${AVOID:-}
# QEMU runs with -icount shift=7,sleep=off (ICOUNT=0: without): the virtual clock follows the
# instruction count and skips idle time, so the fuzzer's IPC timeouts (1 s) and the watchdog's
# waits cost no host time (~130 calls/s without, ~275 with, on this 2-core machine). Calls per
# second a run at least makes give the timeout: N / rate + 120 s.
if [ "$EMU" = bochs ]; then CPU=${CPU:-pentium}; rate=10; else CPU=${CPU:-pentium2}; rate=60; fi
extra=""
[ "$EMU" = qemu ] && [ "${ICOUNT:-1}" != 0 ] && extra="-icount shift=7,align=off,sleep=off"
opts="n=$N"
[ -n "$AVOID" ] && opts+=" avoid=$AVOID"
timeout=$((N / rate + 120))
log=build/runs/fuzz-$EMU-$CPU-$SYSCALL-$SEED-$N.serial
mkdir -p build/runs
start=$EPOCHREALTIME
out=$(QEMU_EXTRA="$extra" EMU=$EMU CPU=$CPU CMDLINE="syscall=$SYSCALL autorun=run fuzz $SEED $opts;poweroff" TIMEOUT=$timeout LOG=$log QUIET=1 \
    tools/run-emu.sh 2>&1 < /dev/null)
end=$EPOCHREALTIME
echo "$out" | tail -n 1
summary=$(tr -d '\r' < "$log" | grep -a '^FUZZ,seed=[0-9]' | tail -n 1)
echo "${summary:-fuzz: no FUZZ summary line (a panic, a hang or a killed fuzzer: see $log)}"
tr -d '\r' < "$log" | grep -a -E '^fuzz: WRONG seed=|^PANIC' | head -n 20
calls=$(sed -nE 's/.*,calls=([0-9]+),.*/\1/p' <<<"$summary")
if [ -n "$calls" ]; then
    awk -v c="$calls" -v a="$start" -v b="$end" 'BEGIN { printf "fuzz: %d calls in %.1f s of host time (whole boot): %.0f calls/s\n", c, b - a, c / (b - a) }'
fi
grep -q ': PASS (' <<<"$out" && grep -q ',wrong=0,' <<<"$summary" && tr -d '\r' < "$log" | grep -qa '^run: fuzz exited 0'
