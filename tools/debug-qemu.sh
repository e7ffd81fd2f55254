#!/usr/bin/env bash
# make debug: QEMU stopped at the first instruction, waiting for gdb on :1234; serial on stdout.
# Boots build/gatehouse.iso (its 5 s menu), or with CMDLINE="..." a one-entry ISO with that command
# line and MODULES, by default the same modules as make run (every build/drivers/*.drv,
# build/user/*.elf and build/disk.img, as in build/gatehouse.iso). CPU, MEM as for tools/run-emu.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
iso=$here/build/gatehouse.iso
if [ -n "${CMDLINE:-}" ]; then
    iso=$here/build/iso-cache/debug.iso
    mkdir -p "$here/build/iso-cache"
    MODULES=${MODULES-$(ls "$here"/build/drivers/*.drv "$here"/build/user/*.elf "$here"/build/disk.img 2>/dev/null | tr '\n' ' ')} \
        "$here/tools/mkiso.sh" "${KERNEL:-$here/build/kernel.elf}" "$iso" "$CMDLINE"
fi
[ -f "$iso" ] || { echo "debug-qemu: no $iso (run make iso)" >&2; exit 1; }
echo "debug-qemu: QEMU waits for gdb on :1234. In another terminal run:"
echo "  gdb $here/build/kernel.elf -ex 'target remote :1234'"
echo "debug-qemu: (then e.g. 'break kmain' and 'continue'; Ctrl-A X here quits QEMU)"
exec qemu-system-i386 -cpu "${CPU:-qemu32}" -m "${MEM:-64}" -cdrom "$iso" -boot d \
    -display none -serial mon:stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -s -S
