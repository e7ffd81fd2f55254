#!/usr/bin/env bash
# Host test of tools/verdict.sh on canned serial and emulator logs: every verdict, including the
# ones a healthy kernel never produces.
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0

check() {  # check NAME WANT_WORD WANT_CODE SERIAL_TEXT [EMU_TEXT]
    printf '%b' "$4" > "$dir/serial"
    local emu_arg=""
    if [ $# -ge 5 ]; then printf '%b' "$5" > "$dir/emu"; emu_arg="$dir/emu"; fi
    local word code
    word=$(tools/verdict.sh "$dir/serial" $emu_arg); code=$?
    if [ "$word" = "$2" ] && [ "$code" -eq "$3" ]; then
        pass=$((pass + 1)); echo "ok $1"
    else
        fail=$((fail + 1)); echo "FAIL $1: got $word/$code, want $2/$3"
    fi
}

check "clean poweroff" PASS 0 'gatehouse: ready\r\ngatehouse: poweroff ok\r\n'
check "self-test all passed" PASS 0 'selftest: 12 passed, 0 failed, 0 skipped\ngatehouse: poweroff ok\n'
check "self-test failure wins over poweroff ok" FAIL 1 'selftest: 11 passed, 1 failed, 0 skipped\ngatehouse: poweroff ok\n'
check "panic" FAIL 1 'PANIC: double fault\ngatehouse: poweroff fail\n'
check "panic line without poweroff" FAIL 1 'gatehouse: ready\nPANIC: something\n'
check "poweroff fail" FAIL 1 'gatehouse: poweroff fail\n'
check "nothing printed" NOVERDICT 4 ''
check "stopped midway" NOVERDICT 4 'gatehouse: booting\ngatehouse: ready\n'
check "poweroff text mid-line does not count" NOVERDICT 4 'echo gatehouse: poweroff ok\n'
check "triple fault in bochs log" TRIPLE 3 'gatehouse: ready\n' '00012i[CPU0 ] exception(): 3rd (13) exception with no resolution, shutdown status is 00h, resetting\n'
check "qemu reset" TRIPLE 3 'crash: triple\n' 'CPU Reset (CPU 0)\n'
check "emulator log without a triple fault" NOVERDICT 4 'gatehouse: ready\n' 'normal log line\n'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
