#!/usr/bin/env bash
# make bench: the kernel's benchmark in Bochs (pentium, p2_klamath) and in QEMU with -icount
# (a second instruction-counting oracle), plus the silicon probe on this machine; CSV, a chart
# (PNG and SVG, gnuplot) and benchmarks.md with the new tables, all under build/bench/ (make
# bench: the checkout stays clean). With DOCS=1 (make bench-docs) they replace the tracked
# bench/results/ and docs/benchmarks.md. PROBE=0 skips the probe; ITER= is passed to it. Last, the
# trace breakdown (tools/bench-trace.sh) into the same benchmarks.md; its status is the script's.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "${DOCS:-0}" = 1 ]; then
    out=bench/results doc=docs/benchmarks.md
else
    out=build/bench doc=build/bench/benchmarks.md
fi
mkdir -p "$out"
runs=()

run_one() {  # run_one NAME EMU CPU [QEMU_EXTRA]
    local name=$1 emu=$2 cpu=$3 extra=${4:-}
    local log=build/runs/bench-$name.serial
    echo "bench: $name ($emu, cpu $cpu${extra:+, $extra})"
    if ! QEMU_EXTRA="$extra" EMU=$emu CPU=$cpu CMDLINE=bench LOG=$log QUIET=1 TIMEOUT=300 tools/run-emu.sh; then
        echo "bench: $name did not finish cleanly; see $log" >&2
        return 1
    fi
    { echo "case,unit,min,median,p99,calls"; tr -d '\r' < "$log" | sed -n 's/^BENCH,//p'; } > "$out/kernel-$name.csv"
    runs+=("$name")
}

run_one bochs-pentium bochs pentium || exit 1
run_one bochs-p2_klamath bochs p2_klamath || exit 1
# QEMU's icount counts instructions like Bochs (shift=0: one tick per instruction).
run_one qemu-icount-pentium2 qemu pentium2 "-icount shift=0,align=off,sleep=off" || exit 1

probe_csv=""
if [ "${PROBE:-1}" != 0 ]; then
    if make --no-print-directory probe ${ITER:+ITER=$ITER} PROBE_OUT="$out"; then
        probe_csv=$(ls -t "$out"/probe-*.csv 2>/dev/null | head -n 1)
    else
        echo "bench: the probe did not run; the silicon section stays as it was" >&2
    fi
fi

python3 tools/bench_report.py "$out" "${runs[@]}" ${probe_csv:+--probe "$probe_csv"} --doc "$doc"
# The trace breakdown (tools/bench-trace.sh): its totals checked against this run's p2_klamath medians.
OUT=$out DOC=$doc CSV=$out/kernel-bochs-p2_klamath.csv tools/bench-trace.sh
