#!/usr/bin/env bash
# Host test of tools/bench_trace.py (make bench-trace's symbolizer and breakdown) on a recorded
# Bochs 2.7 trace excerpt (test/fixtures/bench-trace/trace.emu: the near call, the far call through
# a gate into null.drv, the SYSENTER null call twice, the first named `tick`; then a made-up IPC
# round trip in the same format, whose server shares the client's linear addresses) and fake
# symbol tables (*.nm): the phases and totals, and each problem it must report.
set -uo pipefail
cd "$(dirname "$0")/../.."
fx=test/fixtures/bench-trace
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0

# run [EXTRA_ARGS...]: the tool on $dir/emu, $dir/serial, $dir/user (copies of the fixtures)
run() {
    python3 tools/bench_trace.py --emu "$dir/emu" --serial "$dir/serial" --kernel "$dir/kernel.nm" \
        --drivers "$dir" --user "$dir/user" "$@" 2>&1
}
reset() {
    cp "$fx/trace.emu" "$dir/emu"; cp "$fx/serial.log" "$dir/serial"; cp "$fx/kernel.nm" "$dir/kernel.nm"
    cp "$fx/null.drv.nm" "$dir/null.drv.nm"; rm -rf "$dir/user"; cp -r "$fx/user" "$dir/user"
}
check() {  # check NAME WANT_STATUS REGEX... (every regex must match a line of the output)
    local name=$1 want=$2 out code; shift 2
    out=$(run ${ARGS:-}); code=$?
    local ok=1
    [ "$code" -eq "$want" ] || ok=0
    for re in "$@"; do grep -qE -- "$re" <<<"$out" || { ok=0; echo "  missing: $re"; }; done
    if [ $ok = 1 ]; then
        pass=$((pass + 1)); echo "ok $name"
    else
        fail=$((fail + 1)); echo "FAIL $name: status $code (want $want), output:"; sed 's/^/  | /' <<<"$out" | tail -n 40
    fi
}

reset
check "recorded trace: phases and totals" 0 \
    '^bench-trace: 4 traces, every total equal to its median$' \
    '^`near_call` .*: 2 instructions traced, 1 of harness excluded\.$' \
    '^\| bench_near_target \| 1 \| 50\.0 % \|$' \
    '^`far_call_gate` .*: 116 instructions traced, 1 of harness excluded\.$' \
    '^\| fake_stub_N \(one per entry\) \| 2 \|' \
    '^\| fake_gate \| 61 \| 52\.6 % \|$' \
    '^\| fake_gate\.enter \| 18 \|' \
    '^\| null\.drv: fake_trampoline \| 2 \|' \
    '^\| null\.drv: fake_nop \| 2 \|' \
    '^\| fake_gate\.back \| 30 \|' \
    '^\| \*\*total\*\* \| \*\*116\*\* \| 100 % \|$' \
    '^`syscall_sysenter` .*: 11 instructions traced, 3 of harness excluded\.$' \
    '^\| kernel-written sysenter_stub: sysenter_stub_N \(one per entry\) \| 5 \|' \
    '^\| syscall_sysenter_entry \| 2 \|' \
    '^\| syscall_sysenter_entry\.getpid \| 3 \|' \
    '^`ipc_fixture_regs` .*: 26 instructions traced, 3 of harness excluded\.$' \
    '^\| the measured site \(the caller.s own instruction\) \| 4 \|' \
    '^\| echosrv: main \| 8 \| 30\.8 % \|$' \
    '^\| far call through a gate \(`far_call_gate`\) \| ≤ 25 \| 116 \| 116 \| \+91 \(missed by 91\) \|$' \
    '^\| SYSENTER null call \(`syscall_sysenter`\) \| ≤ 30 \| 11 \| 11 \| -19 \(met, 19 to spare\) \|$' \
    '^\| paging IPC fixture round trip, registers only \(`ipc_fixture_regs`\) \| ≤ 150 \| 26 \| 26 \|'
out=$(run)
if grep -q 'syscall_table_end\|ubench: fake_main\|echosrv: fake\|unmapped' <<<"$out"; then
    fail=$((fail + 1)); echo "FAIL a phase is named by an end label, the wrong program or nothing"
else
    pass=$((pass + 1)); echo "ok no end label, wrong program or unmapped phase"
fi

reset; sed -i 's/^BENCH,far_call_gate,tsc,116,116,116,/BENCH,far_call_gate,tsc,115,115,115,/' "$dir/serial"
check "median differs from the trace" 1 \
    '^bench-trace: MISMATCH: far_call_gate: the trace counts 116 instructions, the median in this boot.s BENCH line is 115 \(trace - median = \+1\)$' \
    '^`far_call_gate` .* — \*\*MISMATCH: median 115\*\*'

reset; printf 'case,unit,min,median,p99,calls\nnear_call,tsc,2,2,2,1616\nfar_call_gate,tsc,116,116,116,1616\nsyscall_sysenter,tsc,11,11,11,1616\nipc_fixture_regs,tsc,27,27,27,404\n' > "$dir/csv"
ARGS="--csv $dir/csv" check "make bench's CSV differs" 1 \
    "^bench-trace: MISMATCH: ipc_fixture_regs: the trace counts 26 instructions, the median in $dir/csv is 27"
sed -i 's/^ipc_fixture_regs,tsc,27,27,27/ipc_fixture_regs,tsc,26,26,26/' "$dir/csv"
ARGS="--csv $dir/csv" check "make bench's CSV agrees" 0 '^bench-trace: 4 traces, every total equal to its median$'

reset; sed -i '/^BENCHTRACE,near_call,/d' "$dir/serial"
check "a trace without its BENCHTRACE line" 1 '^bench-trace: ERROR: 5 traces in .* but 4 BENCHTRACE lines in '

reset; sed -i '/^driver: null /d' "$dir/serial"
check "a driver the boot log does not list" 1 '^bench-trace: ERROR: far_call_gate: unmapped instruction at 00e8:00000010 '

reset; sed -i 's/^(0)\.\[150424704\]/(0).[150424705]/' "$dir/emu"
check "tick counter and instruction count disagree" 1 \
    '^bench-trace: MISMATCH: far_call_gate: 116 instructions traced but the tick counter advanced 117$'

reset; sed -i '/^(0)\.\[150135928\]/d' "$dir/emu"
check "a trace without its end marker" 1 '^bench-trace: ERROR: near_call: the trace does not end at the end marker'

reset; sed -i 's/^=code 00400050 .*/=code 00400050 8b1d0020400089efe89380bfbf909089c63dadde000075e8/' "$dir/user/ubench.nm"
check "two programs with the same bytes" 1 '^bench-trace: ERROR: ipc_fixture_regs: 001b:0040005d is ambiguous: the bytes match '

reset; rm "$dir/user/echosrv.nm"
check "the server's program is missing" 1 '^bench-trace: ERROR: ipc_fixture_regs: unmapped instruction at 001b:0040005d \(no user program has these bytes'

reset; echo 'BENCH,extra_case,tsc,9,9,9,1616' >> "$dir/serial"
check "a measured case that was not traced" 1 '^bench-trace: ERROR: measured but not traced: extra_case$'

reset; printf 'before\n<!-- bench:breakdown -->\nold text\n<!-- bench:breakdown:end -->\nafter\n' > "$dir/doc.md"
out=$(run --doc "$dir/doc.md"); code=$?
if [ $code -eq 0 ] && [ "$(head -n 1 "$dir/doc.md")" = before ] && [ "$(tail -n 1 "$dir/doc.md")" = after ] &&
   ! grep -q 'old text' "$dir/doc.md" && grep -q '^| far call through a gate (`far_call_gate`) | ≤ 25 | 116 | 116 |' "$dir/doc.md" &&
   grep -q '^#### far call through a gate: 116 against ≤ 25, missed by 91$' "$dir/doc.md" &&
   ! grep -q '^#### near call' "$dir/doc.md"; then
    pass=$((pass + 1)); echo "ok the doc block holds the goal paths only"
else
    fail=$((fail + 1)); echo "FAIL doc block (status $code):"; sed 's/^/  | /' "$dir/doc.md" | head -n 30
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
