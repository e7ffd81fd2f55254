#!/usr/bin/env bash
# make bench-trace: the per-phase breakdown of every benchmark path from a Bochs instruction trace
# (docs/benchmarks.md, "Against the goals"). One Bochs p2_klamath boot with `bench=trace
# dump=drivers`: the benchmark as `bench` runs it (its BENCH lines), and after each case its
# operation once more between two magic breakpoints (xchg bx,bx; magic_break is on in
# tools/bochsrc.in); the debugger's command script turns `trace on` at one and `trace off` at the
# next. Then tools/bench_trace.py maps each traced instruction to its symbol and writes the tables.
# Environment: OUT (default build/bench), DOC (a markdown file whose bench:breakdown block is
# replaced; default none), CSV (make bench's p2_klamath CSV, checked too), TIMEOUT (default 600).
# Logs: build/runs/bench-trace.serial (boot log), build/runs/bench-trace.emu (Bochs' log, the trace).
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-build/bench}
log=build/runs/bench-trace
mkdir -p "$out" build/runs
rc=$(mktemp)
trap 'rm -f "$rc"' EXIT
# Two stops per traced case, far more pairs than cases: a stop with no command left would read
# the debugger's stdin (/dev/null) and end the run, which bench_trace.py reports as missing traces.
for _ in $(seq 400); do printf 'trace on\nc\ntrace off\nc\n'; done > "$rc"
echo "bench-trace: Bochs p2_klamath, bench=trace (each case measured, then traced once)"
if ! EMU=bochs CPU=p2_klamath CMDLINE="bench=trace dump=drivers" BOCHS_RC="$rc" LOG="$log.serial" \
     EMU_LOG="$log.emu" QUIET=1 TIMEOUT=${TIMEOUT:-600} tools/run-emu.sh; then
    echo "bench-trace: the Bochs run did not finish cleanly; see $log.serial, $log.emu" >&2
    exit 1
fi
exec python3 tools/bench_trace.py --emu "$log.emu" --serial "$log.serial" \
    --out "$out/trace-breakdown.md" ${CSV:+--csv "$CSV"} ${DOC:+--doc "$DOC"}
