// bench (CMDLINE="bench", shell command): the costs Gatehouse exists to compare, measured on one
// boot. Figures are TSC ticks: instructions in Bochs and in QEMU with -icount, host time in plain
// QEMU, cycles on real hardware (docs/benchmarks.md). Machine-readable lines start with "BENCH,".
#pragma once

namespace bench {
// force_pit: time with the PIT (838 ns units) even where a TSC exists, as a CPU without one must.
// trace (bench=trace): after each case, run its operation once more between two magic breakpoints
// and print `BENCHTRACE,<case>,ok,<label>` (tools/bench_trace.py pairs the lines with Bochs' traces).
void run_kernel_cases(bool force_pit = false, bool trace = false);
// Whether the last run_kernel_cases was a trace run: ubench asks (sys_bench_info kInfoTrace).
bool tracing();
}
