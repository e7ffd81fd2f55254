// null: the smallest driver, for the benchmark and the call-path tests. `echo` returns its
// argument; `sum` adds its three; `via_gate`, `via_patched`
// and `nested` call into another driver (nested: A -> B -> A).
#include "drivers/lib/driver.hpp"

GH_DRIVER("null");

namespace {
GH_IMPORT(kernel_ticks, "kernel.ticks");
GH_IMPORT(faulty_echo, "faulty.echo");
GH_IMPORT(faulty_call_null, "faulty.call_null");
u32 g_calls = 0;

GH_FN u32 nop(u32, u32, u32) { return 0; }
GH_FN u32 echo(u32 a, u32, u32) {
    g_calls++;
    return a;
}
GH_FN u32 sum(u32 a, u32 b, u32 c) { return a + b + c; }
GH_FN u32 calls(u32, u32, u32) { return g_calls; }
// Through the call gate of an import.
GH_FN u32 via_gate(u32 a, u32, u32) { return gh_call(faulty_echo, a); }
// null -> faulty -> null: the driver is entered again while it runs (a second stack slot).
GH_FN u32 nested(u32 a, u32, u32) { return gh_call(faulty_call_null, a); }
// Through a patched site: import 1 (faulty.echo), patched on first use into a direct far call.
GH_FN u32 via_patched(u32 a, u32, u32) { return GH_PATCHED_CALL(1, a, 0, 0); }
GH_FN u32 ticks(u32, u32, u32) { return gh_call(kernel_ticks); }
}  // namespace

GH_EXPORT(nop, "null.nop");
GH_EXPORT(echo, "null.echo");
GH_EXPORT(sum, "null.sum");
GH_EXPORT(calls, "null.calls");
GH_EXPORT(via_gate, "null.via_gate");
GH_EXPORT(nested, "null.nested");
GH_EXPORT(via_patched, "null.via_patched");
GH_EXPORT(ticks, "null.ticks");
