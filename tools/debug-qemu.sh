#!/usr/bin/env bash
# make debug: QEMU stopped at the first instruction, waiting for gdb on :1234; serial on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
echo "debug-qemu: in another terminal run:"
echo "  gdb $here/build/kernel.elf -ex 'target remote :1234' -ex 'break kmain' -ex continue"
exec qemu-system-i386 -cpu "${CPU:-qemu32}" -m "${MEM:-64}" -cdrom "$here/build/gatehouse.iso" -boot d \
    -display none -serial stdio -monitor none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -s -S
