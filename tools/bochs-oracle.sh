#!/usr/bin/env bash
# bochs-oracle.sh [--annotate]
# Boots in Bochs with CMDLINE=break: the kernel prints its GDT and executes xchg bx,bx; Bochs
# stops there and runs `info gdt`, `sreg` and `info tss` from its own debugger; then
# tools/bochs_gdt.py compares Bochs' view with the kernel's listing entry by entry (Bochs is the
# oracle: nobody here wrote it). --annotate prints Bochs' output with owners instead (make bochs-debug).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%s\n' 'info gdt' 'sreg' 'info tss' 'c' > "$work/rc"
serial=$here/build/runs/oracle.serial
emulog=$here/build/runs/oracle.emu
EMU=bochs CPU=${CPU:-pentium} CMDLINE="break${CMDLINE:+ $CMDLINE}" BOCHS_RC="$work/rc" LOG=$serial EMU_LOG=$emulog \
    QUIET=1 TIMEOUT=${TIMEOUT:-180} "$here/tools/run-emu.sh" || { echo "bochs-oracle: the Bochs run failed"; exit 1; }
if [ "${1:-}" = --annotate ]; then
    python3 "$here/tools/bochs_gdt.py" --annotate "$emulog" "$serial"
else
    python3 "$here/tools/bochs_gdt.py" "$emulog" "$serial"
fi
