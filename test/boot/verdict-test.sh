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
qemu_start='CPU Reset (CPU 0)\nEAX=00000000 EBX=00000000\nCPU Reset (CPU 0)\nEAX=00000000 EBX=00000000\n'
check "qemu triple fault" TRIPLE 3 'crash: triple\n' "${qemu_start}Triple fault\nCPU Reset (CPU 0)\n"
check "qemu start-up resets are not a triple fault" NOVERDICT 4 'gatehouse: ready\n' "$qemu_start"
check "bochs panic on a triple fault" TRIPLE 3 'gatehouse: ready\n' '00084849779p[CPU0  ] >>PANIC<< exception(): 3rd (13) exception with no resolution\n'
check "bochs log file named after the test is not a triple fault" NOVERDICT 4 '' '00000000000i[      ] using log file build/runs/test-bochs-crash-triple.emu\n'
check "a verdict wins over a triple fault in the log" PASS 0 'gatehouse: poweroff ok\n' 'Triple fault\n'
check "grub noise before the kernel" PASS 0 '\033[2J\033[0mBooting `Gatehouse`\r\n\r\ngatehouse: booting\r\ngatehouse: ready (3 ms)\r\nselftest: 5 passed, 0 failed, 2 skipped\r\ngatehouse: poweroff ok\r\n'
check "self-test failure without poweroff" FAIL 1 'selftest: 4 passed, 3 failed, 0 skipped\n'
check "self-test zero failed but panic afterwards" FAIL 1 'selftest: 4 passed, 0 failed, 0 skipped\nPANIC: late\ngatehouse: poweroff fail\n'
check "PANIC not at line start does not count" PASS 0 'selftest: [ ok ] no PANIC on bad pointer\ngatehouse: poweroff ok\n'
word=$(tools/verdict.sh "$dir/no-such-file"); code=$?
if [ "$word/$code" = NOVERDICT/4 ]; then pass=$((pass + 1)); echo "ok missing serial log"
else fail=$((fail + 1)); echo "FAIL missing serial log: got $word/$code, want NOVERDICT/4"; fi
check "emulator log without a triple fault" NOVERDICT 4 'gatehouse: ready\n' 'normal log line\n'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
