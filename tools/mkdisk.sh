#!/usr/bin/env bash
# mkdisk.sh OUT [BLOCKS]: the RAM disk image shipped as a multiboot module. Block i starts with
# "Gatehouse block i" and is padded with the byte i & 0xff, so tests can tell blocks apart.
# Block 126 (when there is one) holds at offset 256 an unpatched system-call site (getpid:
# 9A 03000000 0300) and a RET: user/hostile runs it from the read-only mapping to check that the
# kernel refuses to patch a page that is not the program's own code.
set -euo pipefail
out=$1 blocks=${2:-128}
tmp=$(mktemp)
for ((i = 0; i < blocks; i++)); do
    text="Gatehouse block $i"
    if [ "$i" -eq 126 ]; then
        pad=$((256 - ${#text}))
        printf '%s' "$text"
        head -c "$pad" /dev/zero | tr '\0' "\\$(printf '%03o' $((i & 255)))"
        printf '\x9a\x03\x00\x00\x00\x03\x00\xc3'
        head -c $((512 - 256 - 8)) /dev/zero | tr '\0' "\\$(printf '%03o' $((i & 255)))"
        continue
    fi
    printf '%s' "$text"
    head -c $((512 - ${#text})) /dev/zero | tr '\0' "\\$(printf '%03o' $((i & 255)))"
done > "$tmp"
mv "$tmp" "$out"
