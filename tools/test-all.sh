#!/usr/bin/env bash
# make test: host unit tests (Catch2), the runner's verdict tests, then the boot tests in QEMU and
# Bochs. Ends with one line "N passed, M failed" over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."

total_pass=0
total_fail=0
add() { total_pass=$((total_pass + $1)); total_fail=$((total_fail + $2)); }

echo "== unit tests (Catch2, host) =="
out=$(build/unit-tests 2>&1); rc=$?
echo "$out" | tail -n 40
# Catch2 v2 summary: "All tests passed (A assertions in N test cases)" or
# "test cases: N | P passed | F failed".
if [[ $out =~ All\ tests\ passed\ \(([0-9]+)\ assertions?\ in\ ([0-9]+)\ test\ cases?\) ]]; then
    add "${BASH_REMATCH[2]}" 0
elif [[ $out =~ test\ cases:\ +([0-9]+)\ \|\ +([0-9]+)\ passed\ \|\ +([0-9]+)\ failed ]]; then
    add "${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}"
else
    add 0 1
fi
[ $rc -eq 0 ] || echo "unit tests: exit status $rc"

suite() {
    local name=$1; shift
    echo "== $name =="
    local log
    log=$(mktemp)
    "$@" 2>&1 | tee "$log"
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    else
        echo "$name: no summary line"
        add 0 1
    fi
    rm -f "$log"
}

suite "runner verdict tests" test/boot/verdict-test.sh
suite "oracle parser tests" test/boot/bochs-gdt-test.sh
suite "trace breakdown tests (make bench-trace's symbolizer)" test/boot/bench-trace-test.sh
[ -x tools/probe/smoke-test.sh ] && suite "silicon probe smoke test" tools/probe/smoke-test.sh
suite "boot tests (QEMU, Bochs)" test/boot/run.sh
suite "trace breakdown, one Bochs boot (make bench-trace)" test/boot/bench-trace-boot.sh
suite "screen and keyboard (QEMU monitor sendkey, VGA buffer)" test/boot/screen-test.py
suite "runner tests" test/boot/runner-test.py
suite "documented commands (README.md, docs/running.md)" test/boot/docs-commands.py

echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
