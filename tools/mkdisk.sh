#!/usr/bin/env bash
# mkdisk.sh OUT [BLOCKS]: the RAM disk image shipped as a multiboot module. Block i starts with
# "Gatehouse block i" and is padded with the byte i & 0xff, so tests can tell blocks apart.
set -euo pipefail
out=$1 blocks=${2:-128}
tmp=$(mktemp)
for ((i = 0; i < blocks; i++)); do
    text="Gatehouse block $i"
    printf '%s' "$text"
    head -c $((512 - ${#text})) /dev/zero | tr '\0' "\\$(printf '%03o' $((i & 255)))"
done > "$tmp"
mv "$tmp" "$out"
