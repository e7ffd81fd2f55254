#!/usr/bin/env bash
# run-emu.sh: boot Gatehouse through GRUB in QEMU or Bochs, headless, serial streamed to stdout
# and kept in a log; exit status from the kernel's serial verdict (tools/verdict.sh):
#   0 PASS, 1 FAIL, 2 TIMEOUT, 3 TRIPLE, 4 NOVERDICT.
# Environment: EMU=qemu|bochs  CPU=<model>  MEM=<MiB>  CMDLINE="..."  TIMEOUT=<s>
#              KERNEL=build/kernel.elf  LOG=<serial log path>  MODULES="files..."  QUIET=1 (no stream)
#              BOCHS_RC=<file of debugger commands run after the first stop> (the GDT oracle)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
EMU=${EMU:-qemu}
KERNEL=${KERNEL:-$here/build/kernel.elf}
CMDLINE=${CMDLINE:-}
MEM=${MEM:-64}
case $EMU in
    qemu) CPU=${CPU:-qemu32}; TIMEOUT=${TIMEOUT:-60} ;;
    bochs) CPU=${CPU:-pentium}; TIMEOUT=${TIMEOUT:-300} ;;
    *) echo "run-emu: EMU must be qemu or bochs, not '$EMU'" >&2; exit 64 ;;
esac
[ -f "$KERNEL" ] || { echo "run-emu: no kernel at $KERNEL (run make kernel)" >&2; exit 64; }

runs=$here/build/runs
mkdir -p "$runs" "$here/build/iso-cache"
tag="$EMU-$CPU-$MEM-$(printf '%s' "$CMDLINE" | tr -c 'A-Za-z0-9=,._-' '_' | cut -c1-40)-$$"
LOG=${LOG:-$runs/$tag.serial}
EMU_LOG=${EMU_LOG:-${LOG%.serial}.emu}
rm -f "$LOG" "$EMU_LOG"
: > "$LOG"

# One ISO per (kernel, command line, modules), cached: grub-mkrescue is the slow part of a run.
key=$( { cat "$KERNEL" ${MODULES:-} "$here/iso/grub.cfg.in" "$here/tools/mkiso.sh"; printf '%s' "$CMDLINE"; } | sha1sum | cut -c1-16)
iso=$here/build/iso-cache/$key.iso
if [ ! -f "$iso" ]; then
    MODULES=${MODULES:-} "$here/tools/mkiso.sh" "$KERNEL" "$iso.tmp.$$" "$CMDLINE" && mv "$iso.tmp.$$" "$iso" || exit 64
fi

workdir=$(mktemp -d)
cleanup() {
    [ -n "${emu_pid:-}" ] && kill "$emu_pid" 2>/dev/null
    [ -n "${tail_pid:-}" ] && kill "$tail_pid" 2>/dev/null
    rm -rf "$workdir"
}
trap cleanup EXIT

if [ "$EMU" = qemu ]; then
    cmd=(qemu-system-i386 -cpu "$CPU" -m "$MEM" -cdrom "$iso" -boot d -display none -monitor none
         -serial "file:$LOG" -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
         -d cpu_reset -D "$EMU_LOG")
else
    # Bochs caps megs at 2048; more RAM needs the guest/host split.
    if [ "$MEM" -le 2048 ]; then memory="megs: $MEM"; else memory="memory: guest=$MEM, host=256"; fi
    sed -e "s|@MEMORY@|$memory|" -e "s|@CPU@|$CPU|" -e "s|@ISO@|$iso|" -e "s|@SERIAL@|$LOG|" \
        -e "s|@LOG@|$EMU_LOG|" "$here/tools/bochsrc.in" > "$workdir/bochsrc"
    { echo c; [ -n "${BOCHS_RC:-}" ] && cat "$BOCHS_RC"; } > "$workdir/rc"
    cmd=(bochs -q -f "$workdir/bochsrc" -rc "$workdir/rc")
fi

elapsed() { awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.2f", a - b }'; }
start=$(date +%s.%N)
"${cmd[@]}" > "$workdir/emu.out" 2>&1 < /dev/null &
emu_pid=$!
if [ -z "${QUIET:-}" ]; then
    tail -n +1 -f "$LOG" 2>/dev/null &
    tail_pid=$!
fi

ready=""
timed_out=""
while kill -0 "$emu_pid" 2>/dev/null; do
    now=$(elapsed)
    if [ -z "$ready" ] && grep -q '^gatehouse: ready' "$LOG" 2>/dev/null; then ready=$now; fi
    if awk -v n="$now" -v t="$TIMEOUT" 'BEGIN { exit !(n > t) }'; then
        timed_out=1
        kill "$emu_pid" 2>/dev/null
        break
    fi
    sleep 0.05
done
wait "$emu_pid" 2>/dev/null
emu_pid=""
total=$(elapsed)
sleep 0.1
[ -n "${tail_pid:-}" ] && kill "$tail_pid" 2>/dev/null && wait "$tail_pid" 2>/dev/null
tail_pid=""
# Bochs' debugger output (info gdt and friends) and its messages go with the emulator log.
cat "$workdir/emu.out" >> "$EMU_LOG" 2>/dev/null
if [ -z "$ready" ] && grep -q '^gatehouse: ready' "$LOG"; then ready=$total; fi

verdict=$("$here/tools/verdict.sh" "$LOG" "$EMU_LOG"); status=$?
if [ -n "$timed_out" ] && [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then verdict=TIMEOUT status=2; fi
printf 'run-emu: %s cpu=%s mem=%s cmdline=%q: %s (ready %s s, total %s s; serial log %s)\n' \
    "$EMU" "$CPU" "$MEM" "$CMDLINE" "$verdict" "${ready:-never}" "$total" "${LOG#$here/}"
exit "$status"
