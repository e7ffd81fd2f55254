// Self-test: the generated entry stubs (docs/drivers.md, "Gates and stubs"): what a stub does
// when its driver is down, when calls are as deep as the driver has stacks, and what it leaves
// behind. Each check runs the real stub bytes, through the call gate and by a direct far call.
#include "drivers/lib/abi.hpp"
#include "gdt/gdt.hpp"
#include "src/arch/x86.hpp"
#include "src/drv/domains.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/stubs.hpp"
#include "src/selftest/selftest.hpp"

extern "C" void bench_loop_far(u32 n, const void* far_pointer);  // src/bench/bench_asm.asm

namespace selftest {
namespace {

constexpr u32 kUnsupported = drvabi::error_result(u32(Err::Unsupported));
constexpr u32 kBusy = drvabi::error_result(u32(Err::Busy));

// faulty.echo through its gate, and by the direct far call a patched site makes.
u32 echo_by_gate(u32 v) { return drv::call("faulty.echo", v); }
u32 echo_direct(u32 v) {
    const drv::GateEntry* g = drv::find_gate("faulty.echo");
    static struct [[gnu::packed]] { u32 offset; u16 sel; } far;  // static: its operand must not be ESP-relative
    far = {gh_entry_stubs[g->export_id], gdt::kKernelCS};
    u32 r = v;
    // The register rule: only ESP, DS and the flags survive; EBP, ES are kept here.
    asm volatile("push %%ebp; push %%es; lcall *%1; pop %%es; pop %%ebp"
                 : "+a"(r) : "m"(far) : "memory", "cc", "ebx", "ecx", "edx", "esi", "edi");
    return r;
}

void down_driver_refuses(Case& c) {
    drv::Driver* faulty = drv::by_name("faulty");
    if (!faulty) return c.skip("the faulty driver is not loaded");
    ST_CHECK(c, echo_by_gate(5) == 5 && echo_direct(6) == 6);
    u32 flags = x86::eflags();
    x86::cli();
    drv::stubs_down(*faulty);  // what reload and init failure do: the stub's first bytes refuse
    u32 a = echo_by_gate(7), b = echo_direct(8);
    drv::stubs_up(*faulty);
    x86::set_eflags(flags);
    ST_CHECK(c, a == kUnsupported && b == kUnsupported);
    ST_CHECK(c, echo_by_gate(9) == 9 && echo_direct(10) == 10);
    ST_CHECK(c, gh_calls.top == 0);
}

void depth_is_bounded_by_slots(Case& c) {
    drv::Driver* faulty = drv::by_name("faulty");
    if (!faulty) return c.skip("the faulty driver is not loaded");
    u32 slots = gh_drivers[drv::index_of(*faulty)].slot_count;
    u32 flags = x86::eflags();
    x86::cli();  // no interrupt may see the records while the depth is faked
    u32 saved = gh_calls.top;
    gh_calls.top = (slots - 1) * sizeof(drv::CallRecord);  // the last slot: still a stack
    u32 last = echo_by_gate(11);
    u32 top_after = gh_calls.top;
    gh_calls.top = slots * sizeof(drv::CallRecord);  // no slot left at this depth
    u32 deep = echo_by_gate(12), deep_direct = echo_direct(13);
    u32 top_refused = gh_calls.top;
    gh_calls.top = saved;
    x86::set_eflags(flags);
    ST_CHECK(c, last == 11);
    ST_CHECK(c, top_after == (slots - 1) * sizeof(drv::CallRecord));  // released again
    ST_CHECK(c, deep == kBusy && deep_direct == kBusy);
    ST_CHECK(c, top_refused == slots * sizeof(drv::CallRecord));      // nothing claimed
    ST_CHECK(c, echo_by_gate(14) == 14);
}

void thunks_sit_after_the_code(Case& c) {
    drv::Driver* faulty = drv::by_name("faulty");
    if (!faulty) return c.skip("the faulty driver is not loaded");
    const drv::GateEntry* g = drv::find_gate("faulty.echo");
    const drv::ExportRt& e = gh_exports[g->export_id];
    ST_CHECK(c, e.thunk >= faulty->image.code_size && e.thunk + 12 <= drv::code_limit(*faulty));
    const u8* t = reinterpret_cast<const u8*>(uptr(faulty->code_base + e.thunk));
    u32 rel = u32(t[1]) | u32(t[2]) << 8 | u32(t[3]) << 16 | u32(t[4]) << 24;
    ST_CHECK(c, t[0] == 0xE8 && e.thunk + 5 + rel == e.code);  // call the export's code
    if (gh_drivers[drv::index_of(*faulty)].ring == 0)
        ST_CHECK(c, t[5] == 0xEA && t[10] == gdt::kKernelCS && t[11] == 0);  // then back to the kernel's CS
    else  // through the ring-1 return gate, or a domain's
        ST_CHECK(c, t[5] == 0x9A && u32(t[10] | t[11] << 8) ==
                        u32((drv::is_domain(drv::index_of(*faulty)) ? drv::domain_return_gate() : drv::ring1_return_gate()) | 1));
}

}  // namespace

void suite_stubs(Runner& r) {
    r.run("stubs: a driver that is down refuses at its stub, by gate and by direct far call", down_driver_refuses);
    r.run("stubs: a call as deep as the driver has stacks is refused, one less is served", depth_is_bounded_by_slots);
    r.run("stubs: each export's thunk calls its code and returns to the kernel", thunks_sit_after_the_code);
}

}  // namespace selftest
