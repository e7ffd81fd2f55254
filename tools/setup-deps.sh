#!/usr/bin/env bash
# Installs every Debian package Gatehouse needs that is missing (apt-get, as root); as another
# user prints the exact command instead and fails. Quiet when nothing is missing (~0.1 s).
# Bochs' headless display (rfb) is in the bochs package itself: no display plugin package is needed.
set -euo pipefail
packages=(make g++ g++-multilib nasm grub-pc-bin grub-common xorriso mtools qemu-system-x86
          bochs bochsbios vgabios catch2 gnuplot-nox python3 binutils)
missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "setup-deps: missing Debian packages: ${missing[*]}" >&2
    echo "setup-deps: install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! apt-get update -q > "$log" 2>&1 ||
   ! apt-get install -y -q --no-install-recommends "${missing[@]}" >> "$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "setup-deps: apt-get failed; could not install: ${missing[*]}" >&2
    exit 1
fi
echo "setup-deps: installed ${missing[*]}"
