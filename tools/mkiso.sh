#!/usr/bin/env bash
# mkiso.sh KERNEL_ELF OUT_ISO [CMDLINE]
# Builds a hybrid BIOS ISO with GRUB 2 (grub-mkrescue, i386-pc): it boots from a CD and, written
# raw, from a USB stick or disk. Without CMDLINE it is the distributable ISO: a 5 s menu with the
# self-test and VGA-only entries too. With CMDLINE it is a test ISO: that entry, no wait.
# MODULES="path ..." adds multiboot modules (/boot/modules/<name>) to every entry.
set -euo pipefail
kernel=$1 out=$2
here=$(cd "$(dirname "$0")/.." && pwd)

if [ $# -ge 3 ]; then cmdline=$3 timeout=0; else cmdline="" timeout=5; fi
case $cmdline in
    *\'*) echo "mkiso: a command line with a single quote cannot be passed through GRUB: $cmdline" >&2; exit 2 ;;
esac

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub" "$stage/boot/modules"
# The ISO's ELF files without their DWARF (.debug_*; the symbol tables stay, for fault reports):
# GRUB loads every section of the kernel that the multiboot section headers name, and each
# module whole, so the debug info took a megabyte and more of RAM before the kernel ran (with
# 6 MiB GRUB ran out of memory loading the kernel itself). The build tree keeps the full files;
# test fixtures (build/fixtures: malformed on purpose) go on the ISO byte for byte.
stage_elf() {
    case $1 in */fixtures/*) cp "$1" "$2"; return ;; esac
    if [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' ')" != 7f454c46 ] || ! objcopy --strip-debug "$1" "$2" 2>/dev/null; then
        cp "$1" "$2"
    fi
}
stage_elf "$kernel" "$stage/boot/gatehouse.elf"
modules=""
for m in ${MODULES:-}; do
    name=$(basename "$m")
    stage_elf "$m" "$stage/boot/modules/$name"
    modules+="    module /boot/modules/$name $name"$'\n'
done

# entry TITLE CMDLINE: each word in single quotes, so GRUB reads no '#' as a comment and expands
# nothing; GRUB joins the words with spaces (a word containing spaces would come double-quoted).
entry() {
    local quoted="" word words
    read -r -a words <<<"$2"   # split on blanks, no globbing (a word like 'x=*' stays as is)
    for word in "${words[@]}"; do quoted+="'$word' "; done
    printf '\nmenuentry "%s" {\n    multiboot /boot/gatehouse.elf %s\n%s    boot\n}\n' "$1" "$quoted" "$modules"
}
{
    template=$(<"$here/iso/grub.cfg.in")
    printf '%s\n' "${template//%TIMEOUT%/$timeout}"
    if [ $# -ge 3 ]; then
        entry "Gatehouse" "$cmdline"
    else
        entry "Gatehouse" ""
        entry "Gatehouse self-test" "selftest"
        entry "Gatehouse benchmark" "bench halt"
        entry "Gatehouse (VGA console only)" "console=vga"
    fi
} > "$stage/boot/grub/grub.cfg"
mkdir -p "$(dirname "$out")"
if ! log=$(grub-mkrescue -o "$out" "$stage" 2>&1); then
    echo "$log" >&2
    exit 1
fi
# Hybrid check: an MBR (55 AA) whose first partition entry is marked bootable (0x80), so the image
# boots written raw to a USB stick or disk as well as from a CD.
mbr=$(od -v -An -tx1 -j446 -N66 "$out" | tr -d ' \n')
if [ "${mbr:128:4}" != 55aa ] || [ "${mbr:0:2}" != 80 ]; then
    echo "mkiso: $out has no bootable MBR partition table (grub-mkrescue without grub-pc-bin?)" >&2
    exit 1
fi
