#!/usr/bin/env bash
# bochs-oracle.sh [--annotate]
# Boots in Bochs with CMDLINE=break: the kernel prints its GDT listing and executes xchg bx,bx;
# Bochs stops there and its own debugger answers `info gdt`, a raw dump of the whole GDT
# (`x /<2*entries>wx <base>`: DPL and present bits, which info gdt does not show), `sreg` and
# `info tss`; then tools/bochs_gdt.py compares Bochs' view with the kernel's listing entry by entry
# (Bochs is the oracle: nobody here wrote it). --annotate prints Bochs' output with owners instead
# (make bochs-debug).
# The commands reach the debugger through a FIFO on its stdin, written once the kernel's serial
# header `gdt: N of M entries in use, base=0x...` tells where the GDT is; no terminal is needed.
# ORACLE=small moves the stop to a point where a small server exists (`break=small`: smallecho
# loaded and waiting in reply_wait, its code/data pair in the GDT): the same comparison, entry by
# entry, with small-space descriptors present in the table. Their present bits (and the flat user
# ones') change with every switch to or from a small server; the stop is a quiescent point, the
# kernel thread running, and bochs_gdt.py says so.
# Environment: CPU (default pentium), MEM, CMDLINE (added after `break`), TIMEOUT (default 180),
# ORACLE (boot, the default, or small), KERNEL, MODULES, as for tools/run-emu.sh.
# Logs: build/runs/oracle[-small].serial, build/runs/oracle[-small].emu.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mode=compare
case ${1:-} in
    --annotate) mode=annotate ;;
    "") ;;
    *) echo "usage: $0 [--annotate]" >&2; exit 64 ;;
esac
work=$(mktemp -d)
runner=""
trap '[ -n "$runner" ] && kill "$runner" 2>/dev/null; rm -rf "$work"' EXIT
case ${ORACLE:-boot} in
    boot) point=break; tag="" ;;
    small) point=break=small; tag=-small ;;
    *) echo "bochs-oracle: ORACLE must be boot or small" >&2; exit 64 ;;
esac
serial=$here/build/runs/oracle$tag.serial
emulog=$here/build/runs/oracle$tag.emu
mkdir -p "$here/build/runs"
rm -f "$serial"
mkfifo "$work/cmds"
exec 7<>"$work/cmds"   # read-write: never blocks, and Bochs sees EOF only once we close it

EMU=bochs CPU=${CPU:-pentium} CMDLINE="$point dump=gdt,drivers${CMDLINE:+ $CMDLINE} autorun=poweroff" BOCHS_STDIN="$work/cmds" LOG=$serial \
    EMU_LOG=$emulog QUIET=1 TIMEOUT=${TIMEOUT:-180} "$here/tools/run-emu.sh" > "$work/run.out" 2>&1 &
runner=$!

# Wait for the kernel's GDT header (it comes before the breakpoint), then queue the commands:
# the debugger reads them when the magic breakpoint stops it.
header=""
while kill -0 "$runner" 2>/dev/null; do
    header=$(grep -m1 -aE '^gdt: [0-9]+ of [0-9]+ entries in use, base=0x[0-9a-fA-F]+' "$serial" 2>/dev/null | tr -d '\r')
    [ -n "$header" ] && break
    sleep 0.05
done
if [[ $header =~ of\ ([0-9]+)\ entries\ in\ use,\ base=(0x[0-9a-fA-F]+) ]]; then
    printf '%s\n' 'info gdt' "x /$((2 * BASH_REMATCH[1]))wx ${BASH_REMATCH[2]}" 'sreg' 'info tss' 'c' >&7
else
    printf '%s\n' 'info gdt' 'sreg' 'info tss' 'c' >&7
fi
exec 7>&-
wait "$runner"; status=$?; runner=""
if [ "$status" -ne 0 ]; then
    cat "$work/run.out"
    echo "bochs-oracle: the Bochs run failed (status $status); logs: ${serial#$here/}, ${emulog#$here/}"
    exit 1
fi
if [ $mode = annotate ]; then
    exec python3 "$here/tools/bochs_gdt.py" --annotate "$emulog" "$serial"
fi
# The stop is a quiescent point: no driver runs, so GDTR holds the kernel's table (a driver in a
# GDT domain runs on a copy of it in which other domains' descriptors are not present).
echo "bochs-oracle: compared at the break= stop, where no driver runs: GDTR is the kernel's table"
exec python3 "$here/tools/bochs_gdt.py" "$emulog" "$serial"
