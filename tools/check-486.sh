#!/usr/bin/env bash
# The kernel must run on a 486: refuse a binary containing P6-only instructions (CMOV, FCMOV,
# FCOMI), which a host libgcc or a wrong -march would bring in.
set -euo pipefail
elf=$1
bad=$(objdump -d --no-show-raw-insn "$elf" | grep -E '\s(cmov|fcmov|fcomi|fucomi)[a-z]*\s' || true)
if [ -n "$bad" ]; then
    echo "check-486: $elf uses instructions a 486 lacks:" >&2
    echo "$bad" | head -5 >&2
    exit 1
fi
