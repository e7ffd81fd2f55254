#!/usr/bin/env bash
# run-emu.sh: boot Gatehouse through GRUB in QEMU or Bochs, headless, serial streamed to stdout
# and kept in a log; exit status from the kernel's serial verdict (tools/verdict.sh):
#   0 PASS, 1 FAIL, 2 TIMEOUT, 3 TRIPLE, 4 NOVERDICT (64: bad usage, no kernel, ISO build failed).
# Environment:
#   EMU=qemu|bochs         default qemu
#   CPU=<model>            QEMU -cpu name (default qemu32) / Bochs model from `bochs --help cpu` (default pentium)
#   MEM=<MiB>              default 64, at least 4 (GRUB needs it); Bochs above 2048 uses `memory: guest=MEM, host=256`
#   CMDLINE="..."          kernel command line (docs/cmdline.md); `$` passes as typed, double quotes
#                          and single quotes are refused (GRUB would turn `"` into `\"`)
#   TIMEOUT=<s>            default 60 (QEMU), 300 (Bochs); the emulator is killed after it
#   KERNEL=<elf>           default build/kernel.elf
#   MODULES="files..."     multiboot modules; unset: every build/drivers/*.drv, build/user/*.elf and build/disk.img; empty: none
#   ISO=<iso>              boot this ISO as is (no per-command-line ISO is built; CMDLINE only labels)
#   LOG=<path>             serial log (default build/runs/<emu>-<cpu>-<mem>-<cmdline>-<pid>.serial)
#   EMU_LOG=<path>         emulator log (default: LOG with .emu instead of .serial)
#   QUIET=1                do not stream the serial output
#   QEMU_EXTRA="..."       more QEMU arguments, e.g. "-machine pc,i8042=off" (no keyboard controller);
#                          `-vga none` and `-smp N` are noted (no screen; one CPU used)
#   SERIAL=none            QEMU: no UART at all (a PC without COM1); the log is the debugcon port
#                          0xE9 instead (-debugcon), which the kernel mirrors its console to when
#                          it finds one, and the verdict comes from isa-debug-exit's status too
#   BOCHS_RC=<file>        debugger commands run after the first stop (appended after `c`)
#   BOCHS_MAGIC_BREAK=0    Bochs ignores xchg bx, bx (the fault campaign: a flipped byte can be one)
#   BOCHS_STDIN=<path>     Bochs' debugger reads further commands from it (a FIFO the caller
#                          writes, see tools/bochs-oracle.sh); default /dev/null
# The last line says what happened, e.g.
#   run-emu: qemu cpu=486 mem=64 cmdline='selftest': PASS (ready 0.47 s, total 0.52 s; serial log ...)
# where "ready" is host wall-clock time from starting the emulator to the kernel's `gatehouse: ready`.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
EMU=${EMU:-qemu}
KERNEL=${KERNEL:-$here/build/kernel.elf}
CMDLINE=${CMDLINE:-}
MEM=${MEM:-64}
if [ -z "${MODULES+set}" ]; then
    # crayon.drv last, as in the Makefile's ISO: the other drivers keep the layout they had before it.
    MODULES=$( { ls "$here"/build/drivers/*.drv | grep -v '/crayon\.drv$'; ls "$here"/build/drivers/crayon.drv \
               "$here"/build/user/*.elf "$here"/build/disk.img; } 2>/dev/null | tr '\n' ' ')
fi
# At a terminal, `make run` is interactive: QEMU's serial line is the terminal (type into the
# shell), still logged; no timeout unless one is given.
interactive=""
if [ "$EMU" = qemu ] && [ -z "${QUIET:-}" ] && [ -t 0 ] && [ -t 1 ]; then
    interactive=1
    TIMEOUT=${TIMEOUT:-86400}
fi
# Bochs at a terminal: its serial line on a pseudo-terminal joined to this one (tools/pty-bridge.py:
# type into the shell; Ctrl-] leaves); with `break` on the command line Bochs' debugger shares the
# terminal: while its prompt is up, typed lines go to it (`c` goes on), then to the shell again.
bochs_tty="" bochs_debugger=""
if [ "$EMU" = bochs ] && [ -z "${QUIET:-}" ] && [ -z "${BOCHS_STDIN:-}" ] && [ -t 0 ] && [ -t 1 ]; then
    bochs_tty=serial
    [[ " $CMDLINE " =~ \ break(=1)?\  ]] && bochs_debugger=1
    TIMEOUT=${TIMEOUT:-86400}
fi
case $EMU in
    qemu) CPU=${CPU:-qemu32}; TIMEOUT=${TIMEOUT:-60} ;;
    bochs) CPU=${CPU:-pentium}; TIMEOUT=${TIMEOUT:-300} ;;
    *) echo "run-emu: EMU must be qemu or bochs, not '$EMU'" >&2; exit 64 ;;
esac
[[ $MEM =~ ^[0-9]+$ ]] || { echo "run-emu: MEM must be a number of MiB, not '$MEM'" >&2; exit 64; }
# Below 4 MiB GRUB cannot load the kernel and its modules and the run would only time out;
# QEMU would read 0 as its default (128 MiB).
if [ "$MEM" -lt 4 ]; then
    echo "run-emu: MEM=$MEM MiB is too small: GRUB needs at least 4 MiB to load the kernel and modules" >&2
    exit 64
fi
case $CMDLINE in
    *\"*) echo "run-emu: CMDLINE contains a double quote: GRUB hands it to the kernel as \\\" (docs/cmdline.md);" \
             "no option needs quotes here (autorun= takes the rest of the line, spaces included)" >&2; exit 64 ;;
    *\'*) echo "run-emu: CMDLINE contains a single quote, which cannot pass through GRUB (docs/cmdline.md)" >&2; exit 64 ;;
esac
SERIAL=${SERIAL:-com1}
case $SERIAL in
    com1) ;;
    none) [ "$EMU" = qemu ] || { echo "run-emu: SERIAL=none is for QEMU only" >&2; exit 64; } ;;
    *) echo "run-emu: SERIAL must be com1 or none, not '$SERIAL'" >&2; exit 64 ;;
esac
[[ $TIMEOUT =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "run-emu: TIMEOUT must be seconds, not '$TIMEOUT'" >&2; exit 64; }

runs=$here/build/runs
mkdir -p "$runs" "$here/build/iso-cache"
tag="$EMU-$CPU-$MEM-$(printf '%s' "$CMDLINE" | tr -c 'A-Za-z0-9=._-' '_' | cut -c1-40)-$$"
LOG=${LOG:-$runs/$tag.serial}
EMU_LOG=${EMU_LOG:-${LOG%.serial}.emu}
mkdir -p "$(dirname "$LOG")" "$(dirname "$EMU_LOG")"
rm -f "$LOG" "$EMU_LOG"
: > "$LOG"

if [ -n "${ISO:-}" ]; then
    [ -f "$ISO" ] || { echo "run-emu: no ISO at $ISO" >&2; exit 64; }
    iso=$ISO
else
    [ -f "$KERNEL" ] || { echo "run-emu: no kernel at $KERNEL (run make kernel)" >&2; exit 64; }
    # One ISO per (kernel, command line, modules), cached: grub-mkrescue is the slow part of a run.
    key=$( { cat "$KERNEL" $MODULES "$here/iso/grub.cfg.in" "$here/tools/mkiso.sh"
             printf '%s\0' "$CMDLINE" $MODULES; } | sha1sum | cut -c1-16)
    iso=$here/build/iso-cache/$key.iso
    if [ -f "$iso" ]; then
        touch "$iso"   # least recently used ISOs go first below
    else
        MODULES=$MODULES "$here/tools/mkiso.sh" "$KERNEL" "$iso.tmp.$$" "$CMDLINE" &&
            mv "$iso.tmp.$$" "$iso" || { rm -f "$iso.tmp.$$"; echo "run-emu: mkiso failed" >&2; exit 64; }
        # Each ISO is ~10 MB and every kernel build makes new ones: keep the 60 most recently used.
        ls -t "$here"/build/iso-cache/*.iso 2>/dev/null | tail -n +61 | xargs -r rm -f
    fi
fi

workdir=$(mktemp -d)
emu_pid="" tail_pid="" bridge_pid=""
cleanup() {
    [ -n "$emu_pid" ] && kill -KILL "$emu_pid" 2>/dev/null
    [ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
    [ -n "$bridge_pid" ] && kill "$bridge_pid" 2>/dev/null
    rm -rf "$workdir"
    [ -n "${interactive:-}${bochs_tty:-}" ] && stty sane 2>/dev/null < /dev/tty
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# QEMU splits option values on commas; a comma in a path is written twice.
qpath() { printf '%s' "${1//,/,,}"; }

if [ "$EMU" = qemu ]; then
    case " ${QEMU_EXTRA:-} " in
        *" -vga none "*) echo "run-emu: note: QEMU has no VGA card (-vga none): the screen console writes into nothing" >&2 ;;
    esac
    if [[ " ${QEMU_EXTRA:-} " =~ \ -smp\ +(cpus=)?([0-9]+) ]] && [ "${BASH_REMATCH[2]}" -gt 1 ]; then
        echo "run-emu: note: -smp ${BASH_REMATCH[2]}: the kernel runs on the first CPU only; the others stay halted" >&2
    fi
    # -no-reboot: a triple fault (or any reset) ends QEMU; -d cpu_reset logs "Triple fault".
    # The kernel's poweroff writes port 0xf4 (isa-debug-exit): QEMU exits with (v<<1)|1, ignored.
    serial=(-serial "file:$(qpath "$LOG")")
    [ -n "$interactive" ] && serial=(-chardev "stdio,id=ser0,logfile=$(qpath "$LOG"),signal=off" -serial chardev:ser0)
    if [ "$SERIAL" = none ]; then
        serial=(-serial none -debugcon "file:$(qpath "$LOG")")
        [ -n "$interactive" ] && serial=(-serial none -chardev "stdio,id=dbg0,logfile=$(qpath "$LOG"),signal=off" -debugcon chardev:dbg0)
    fi
    cmd=(qemu-system-i386 -cpu "$CPU" -m "$MEM" -cdrom "$iso" -boot d -display none -monitor none
         "${serial[@]}" -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
         -d cpu_reset -D "$(qpath "$EMU_LOG")" ${QEMU_EXTRA:-})
    stdin=/dev/null
else
    # Bochs caps megs at 2048; more RAM needs the guest/host split.
    if [ "$MEM" -le 2048 ]; then memory="megs: $MEM"; else memory="memory: guest=$MEM, host=256"; fi
    com1="mode=file, dev=$LOG"
    if [ "$bochs_tty" = serial ]; then
        dbg=()
        if [ -n "$bochs_debugger" ]; then
            mkfifo "$workdir/dbg-in" "$workdir/dbg-out"
            dbg=("$workdir/dbg-in" "$workdir/dbg-out")
        fi
        python3 "$here/tools/pty-bridge.py" "$LOG" "$workdir/pty" "${dbg[@]}" < /dev/tty > /dev/tty &
        bridge_pid=$!
        for _ in $(seq 100); do [ -s "$workdir/pty" ] && break; sleep 0.05; done
        [ -s "$workdir/pty" ] || { echo "run-emu: the serial bridge did not start" >&2; exit 64; }
        com1="mode=term, dev=$(cat "$workdir/pty")"
        echo "run-emu: Bochs' serial line is this terminal (type into the shell; Ctrl-] leaves); the screen is on VNC localhost:5900" > /dev/tty
        [ -n "$bochs_debugger" ] && echo "run-emu: Bochs' debugger shares it: at its prompt (the kernel's breakpoint) type c to go on" > /dev/tty
    fi
    sed -e "s|@MEMORY@|$memory|" -e "s|@CPU@|$CPU|" -e "s|@ISO@|$iso|" -e "s|@COM1@|$com1|" \
        -e "s|@LOG@|$EMU_LOG|" -e "s|^magic_break: enabled=1|magic_break: enabled=${BOCHS_MAGIC_BREAK:-1}|" \
        "$here/tools/bochsrc.in" > "$workdir/bochsrc"
    { echo c; if [ -n "${BOCHS_RC:-}" ]; then cat "$BOCHS_RC"; fi; } > "$workdir/rc"
    cmd=(bochs -q -f "$workdir/bochsrc" -rc "$workdir/rc")
    stdin=${BOCHS_STDIN:-/dev/null}
    [ -n "$bochs_debugger" ] && stdin=$workdir/dbg-in
fi

now() { local t=$EPOCHREALTIME; echo "${t/,/.}"; }
elapsed() { awk -v a="$(now)" -v b="$start" 'BEGIN { printf "%.2f", a - b }'; }
start=$(now)
if [ -n "$interactive" ]; then
    "${cmd[@]}" < /dev/tty > /dev/tty 2> "$workdir/emu.out" &
elif [ -n "$bochs_debugger" ]; then
    "${cmd[@]}" < "$stdin" > "$workdir/dbg-out" 2> "$workdir/emu.out" &
else
    "${cmd[@]}" > "$workdir/emu.out" 2>&1 < "$stdin" &
fi
emu_pid=$!
if [ -z "${QUIET:-}" ] && [ -z "$interactive" ] && [ "$bochs_tty" != serial ]; then
    tail -n +1 -f "$LOG" 2>/dev/null &
    tail_pid=$!
fi

# Poll without forking much: bash's clock, one grep until the ready line has been seen.
deadline=$(awk -v s="$start" -v t="$TIMEOUT" 'BEGIN { printf "%.0f", (s + t) * 1000 }')
ready="" timed_out=""
while kill -0 "$emu_pid" 2>/dev/null; do
    t=$(now); t_ms=${t%.*}${t#*.}; t_ms=${t_ms:0:13}
    if [ -z "$ready" ] && grep -q '^gatehouse: ready' "$LOG" 2>/dev/null; then ready=$(elapsed); fi
    if [ "$t_ms" -gt "$deadline" ]; then
        timed_out=1
        kill -TERM "$emu_pid" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$emu_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$emu_pid" 2>/dev/null
        break
    fi
    sleep 0.02
done
wait "$emu_pid" 2>/dev/null
emu_status=$?
emu_pid=""
total=$(elapsed)
if [ -n "$bridge_pid" ]; then
    sleep 0.2
    kill "$bridge_pid" 2>/dev/null
    wait "$bridge_pid" 2>/dev/null
    bridge_pid=""
fi
if [ -n "$tail_pid" ]; then
    sleep 0.1
    kill "$tail_pid" 2>/dev/null
    wait "$tail_pid" 2>/dev/null
    tail_pid=""
fi
# Bochs' debugger output (info gdt and friends) and its exit message go with the emulator log.
cat "$workdir/emu.out" >> "$EMU_LOG" 2>/dev/null
if [ -z "$ready" ] && grep -q '^gatehouse: ready' "$LOG"; then ready=$total; fi

verdict=$("$here/tools/verdict.sh" "$LOG" "$EMU_LOG"); status=$?
# Without a UART the isa-debug-exit status is a second witness: (0 << 1) | 1 = 1 is the kernel's
# "poweroff ok", (1 << 1) | 1 = 3 its "poweroff fail".
if [ "$SERIAL" = none ] && [ -z "$timed_out" ]; then
    case $emu_status:$verdict in
        1:PASS | 3:FAIL) ;;
        1:NOVERDICT) verdict=PASS status=0 ;;
        3:NOVERDICT) verdict=FAIL status=1 ;;
        *:PASS) echo "run-emu: the log says PASS but isa-debug-exit gave status $emu_status" >&2; verdict=FAIL status=1 ;;
    esac
fi
if [ -n "$timed_out" ] && [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then verdict=TIMEOUT status=2; fi
if [ "$verdict" = NOVERDICT ] && [ -s "$workdir/emu.out" ]; then
    # The emulator ended on its own without a verdict: show why (bad CPU model, missing ROM, ...).
    echo "run-emu: $EMU exited with status $emu_status without a verdict; its last words:" >&2
    grep -vE '^[0-9]{11}i\[' "$workdir/emu.out" | tail -n 8 | sed 's/^/  /' >&2
fi
if [ -n "$ready" ]; then ready_text="$ready s"; else ready_text=never; fi
printf "run-emu: %s cpu=%s mem=%s cmdline='%s': %s (ready %s, total %s s; serial log %s)\n" \
    "$EMU" "$CPU" "$MEM" "$CMDLINE" "$verdict" "$ready_text" "$total" "${LOG#$here/}"
exit "$status"
