#!/usr/bin/env bash
# Host test of tools/bochs_gdt.py on canned Bochs debugger output (the real Bochs 2.7 format, cut
# to 16 slots) and canned kernel listings: agreement, and each kind of disagreement it must catch.
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0

# Bochs' answers to `info gdt 0 15` and `x /32wx 0x117008`, as printed at a magic breakpoint.
bochs_out() {  # bochs_out [EXTRA_LO EXTRA_HI EXTRA_TEXT]: slot 0x38 holds the extra descriptor
    cat <<'EOF'
(0) Magic breakpoint
Next at t=84701112
(0) [0x000000102eda] 0008:0000000000102eda (unk. ctxt): add esp, 0x00000010       ; 83c410
<bochs:1> info gdt
Global Descriptor Table (base=0x0000000000117008, limit=127):
GDT[0x0000]=??? descriptor hi=0x00000000, lo=0x00000000
GDT[0x0008]=Code segment, base=0x00000000, limit=0xffffffff, Execute/Read, Non-Conforming, Accessed, 32-bit
GDT[0x0010]=Data segment, base=0x00000000, limit=0xffffffff, Read/Write, Accessed
GDT[0x0018]=Code segment, base=0x00000000, limit=0xbfffffff, Execute/Read, Non-Conforming, 32-bit
GDT[0x0020]=Data segment, base=0x00000000, limit=0xbfffffff, Read/Write
GDT[0x0028]=32-Bit TSS (Busy) at 0x001270a0, length 0x00067
GDT[0x0030]=32-Bit TSS (Available) at 0x00127020, length 0x00067
EOF
    echo "GDT[0x0038]=${3:-??? descriptor hi=0x00000000, lo=0x00000000}"
    for s in 40 48 50 58 60 68 70 78; do echo "GDT[0x00$s]=??? descriptor hi=0x00000000, lo=0x00000000"; done
    printf '<bochs:2> x /32wx 0x00117008\n[bochs]:\n'
    printf '0x0000000000117008 <bogus+       0>:\t0x00000000\t0x00000000\t0x0000ffff\t0x00cf9b00\n'
    printf '0x0000000000117018 <bogus+      16>:\t0x0000ffff\t0x00cf9300\t0x0000ffff\t0x00cbfa00\n'
    printf '0x0000000000117028 <bogus+      32>:\t0x0000ffff\t0x00cbf200\t0x70a00067\t0x00008b12\n'
    printf '0x0000000000117038 <bogus+      48>:\t0x70200067\t0x00008912\t0x%08x\t0x%08x\n' "${1:-0}" "${2:-0}"
    for a in 48 58 68 78; do
        printf '0x0000000000117%03x <bogus+     %3d>:\t0x00000000\t0x00000000\t0x00000000\t0x00000000\n' \
            $((0x$a)) $((0x$a - 8))
    done
    echo '<bochs:3> sreg'
    echo 'cs:0x0008, dh=0x00cf9b00, dl=0x0000ffff, valid=1'
}

kernel_out() {
    cat <<'EOF'
gdt: 7 of 16 entries in use, base=0x00117008
gdt: 0x0008 base=0x00000000 limit=0xffffffff code dpl=0 p=1 32bit owner=kernel
gdt: 0x0010 base=0x00000000 limit=0xffffffff data dpl=0 p=1 32bit owner=kernel
gdt: 0x0018 base=0x00000000 limit=0xbfffffff code dpl=3 p=1 32bit owner=user
gdt: 0x0020 base=0x00000000 limit=0xbfffffff data dpl=3 p=1 32bit owner=user
gdt: 0x0028 base=0x001270a0 limit=0x00000067 tss-busy dpl=0 p=1 - owner=kernel-tss
gdt: 0x0030 base=0x00127020 limit=0x00000067 tss dpl=0 p=1 - owner=df-tss
EOF
}

check() {  # check NAME WANT_STATUS WANT_REGEX (bochs output in $dir/b, kernel listing in $dir/k)
    local out code
    out=$(python3 tools/bochs_gdt.py "$dir/b" "$dir/k" 2>&1); code=$?
    if [ "$code" -eq "$2" ] && grep -qE -- "$3" <<<"$out"; then
        pass=$((pass + 1)); echo "ok $1"
    else
        fail=$((fail + 1)); echo "FAIL $1: status $code (want $2), output:"; sed 's/^/  | /' <<<"$out"
    fi
}

bochs_out > "$dir/b"; kernel_out > "$dir/k"
check "agreeing GDT" 0 '6 kernel entries, 6 non-empty in Bochs .* 0 mismatches'

kernel_out | sed 's/0x0018 \(.*\) dpl=3/0x0018 \1 dpl=0/' > "$dir/k"
check "wrong DPL" 1 '0x0018 .*kernel dpl=0, descriptor dpl=3'

kernel_out | sed 's/0x0010 \(.*\) p=1/0x0010 \1 p=0/' > "$dir/k"
check "wrong present bit" 1 '0x0010 .*kernel p=0, descriptor p=1'

kernel_out | sed 's/0x0020 \(.*\) 32bit/0x0020 \1 16bit/' > "$dir/k"
check "wrong data size (B bit)" 1 '0x0020 .*descriptor D/B says 32bit'

kernel_out | sed 's/0x0018 base=0x00000000 limit=0xbfffffff/0x0018 base=0x00000000 limit=0x000bffff/' > "$dir/k"
check "wrong limit (granularity not applied)" 1 '0x0018 .*kernel base=0x00000000 limit=0x000bffff'

kernel_out | sed 's/tss-busy/tss/' > "$dir/k"
check "busy TSS listed as available" 1 '0x0028 .*kernel says tss, Bochs says tss-busy'

kernel_out | sed '/0x0030/d' > "$dir/k"
check "present entry the kernel does not list" 1 '0x0030: Bochs shows a present tss the kernel does not list'

kernel_out > "$dir/k"; echo 'gdt: 0x0038 base=0x00200000 limit=0x00000fff data dpl=0 p=1 32bit owner=drv' >> "$dir/k"
check "kernel lists an entry Bochs has empty" 1 '0x0038 \(owner=drv\): kernel lists data, Bochs shows an empty slot'

kernel_out > "$dir/k"; echo 'gdt: 0x0080 base=0x00200000 limit=0x00000fff data dpl=0 p=1 32bit owner=drv' >> "$dir/k"
check "kernel entry beyond the GDT limit" 1 '0x0080 .*beyond the GDT limit'

kernel_out > "$dir/k"
bochs_out 0x0000ffff 0x00009200 'Data segment, base=0x00000000, limit=0x0000ffff, Read/Write' > "$dir/b"
check "extra present data segment" 1 '0x0038: Bochs shows a present data the kernel does not list'

bochs_out 0x0000ffff 0x00001200 'Data segment, base=0x00000000, limit=0x0000ffff, Read/Write' > "$dir/b"
check "extra non-present descriptor is only a note" 0 'note: 0x0038: non-zero, not present'

# A small server's descriptor (owner small:...), compared at a quiescent point: it must be hidden.
kernel_out > "$dir/k"; echo 'gdt: 0x0038 base=0xb0000000 limit=0x003fffff data dpl=2 p=0 32bit owner=small:smallecho' >> "$dir/k"
bochs_out 0x000003ff 0xb0c05300 'Data segment, base=0xb0000000, limit=0x003fffff, Read/Write, Accessed' > "$dir/b"
check "small-space descriptor at a quiescent point" 0 '1 small-space descriptors \(small:smallecho\) compared at a quiescent point'

kernel_out > "$dir/k"; echo 'gdt: 0x0038 base=0xb0000000 limit=0x003fffff data dpl=2 p=1 32bit owner=small:smallecho' >> "$dir/k"
bochs_out 0x000003ff 0xb0c0d300 'Data segment, base=0xb0000000, limit=0x003fffff, Read/Write, Accessed' > "$dir/b"
check "small-space descriptor present at a quiescent point" 1 '0x0038 \(owner=small:smallecho\): a small server.s descriptor is present'
kernel_out > "$dir/k"

bochs_out | grep -v '^0x0000000000117' > "$dir/b"
check "no raw dump" 1 'no raw descriptor dump'

: > "$dir/b"
check "Bochs never stopped" 1 'Bochs printed no GDT'

bochs_out > "$dir/b"; kernel_out | sed 's/base=0x00117008/base=0x00118000/' > "$dir/k"
check "kernel and GDTR disagree on the base" 1 'kernel says the GDT is at 0x118000, Bochs. GDTR says 0x117008'

out=$(python3 tools/bochs_gdt.py --annotate "$dir/b" "$dir/k")
if grep -q '^GDT\[0x0030\]=32-Bit TSS (Available) at 0x00127020, length 0x00067, DPL=0, P=1  owner=df-tss$' <<<"$out" &&
   grep -q '^cs:0x0008' <<<"$out"; then
    pass=$((pass + 1)); echo "ok annotate"
else
    fail=$((fail + 1)); echo "FAIL annotate:"; sed 's/^/  | /' <<<"$out"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
