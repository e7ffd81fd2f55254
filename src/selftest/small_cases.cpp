// Self-test: small address spaces (issue 13; docs/ipc.md). The layout and descriptors from the
// kernel's side, then user/smalltest for the services and the isolation both ways.
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "seg/limit_probe.hpp"
#include "src/arch/cpu_detect.hpp"
#include "src/console.hpp"
#include "src/mm/layout.hpp"
#include "src/mm/paging.hpp"
#include "src/proc/address_space.hpp"
#include "src/proc/process.hpp"
#include "src/proc/small_space.hpp"
#include "src/selftest/selftest.hpp"

namespace selftest {
namespace {
bool is_err(u32 v) { return v >= 0xFFFFFF00u; }

void region_and_descriptors(Case& c) {
    auto pid = proc::spawn("smallecho");
    if (!pid.ok()) return c.skip("the smallecho program is not loaded");
    u32 slot = small::info(pid.value(), 0), cs = small::info(pid.value(), 1), ds = small::info(pid.value(), 2);
    ST_CHECK(c, !is_err(slot) && slot < small::kSlots);
    // Its own two descriptors: exactly the slot, DPL 2, hidden while another thread runs.
    desc::Decoded code = desc::decode(gdt::get(gdt::index_of(u16(cs))));
    desc::Decoded data = desc::decode(gdt::get(gdt::index_of(u16(ds))));
    ST_CHECK(c, desc::is_code(code) && desc::is_data(data) && (cs & 3) == small::kRing && (ds & 3) == small::kRing);
    ST_CHECK(c, code.base == small::slot_base(slot) && data.base == small::slot_base(slot));
    ST_CHECK(c, code.limit == small::kSlotBytes - 1 && data.limit == small::kSlotBytes - 1);
    ST_CHECK(c, code.dpl == small::kRing && data.dpl == small::kRing && !code.present && !data.present);
    const char* owner = gdt::owner(u16(cs));
    ST_CHECK(c, owner && Str(owner).eq("small:smallecho"));
    ST_CHECK(c, desc::decode(gdt::get(gdt::kUserDataIndex)).present && desc::decode(gdt::get(gdt::kUserCodeIndex)).present);
    // The region is in the kernel's directory and in every new one, supervisor-only.
    const u32* kpd = mm::p2v<u32>(paging::kernel_directory_phys());
    proc::AddressSpace as;
    ST_CHECK(c, as.create().ok());
    const u32* pd = mm::p2v<u32>(as.directory());
    for (u32 i = 0; i < small::kSlots; i++) {
        u32 e = kpd[small::kFirstPde + i];
        ST_CHECK(c, (e & paging::kPresent) && !(e & paging::kUser) && pd[small::kFirstPde + i] == e);
    }
    ST_CHECK(c, !as.map_new(small::kRegionBase, true).ok());  // no process maps into it
    as.destroy();
    ST_CHECK(c, proc::kill(pid.value()).ok());
    auto r = proc::wait(pid.value());
    ST_CHECK(c, r.ok() && r.value().killed);
    ST_CHECK(c, gdt::owner(u16(cs)) == nullptr && gdt::owner(u16(ds)) == nullptr);  // freed with it
    kprintf("selftest:   small: slot %u base 0x%08x limit 0x%08x cs 0x%04x ds 0x%04x dpl %u\n", slot, code.base,
            code.limit, cs, ds, u32(code.dpl));
}

void services_three_ways(Case& c) {
    auto r = proc::run("smalltest", 0);
    if (!r.ok()) return c.skip("the smalltest program is not loaded");
    ST_CHECK(c, !r.value().killed);
    // The fast path's switch back from a small server compares the client's directory with
    // TSS.cr3, not CR3: every CR3 load writes both, so they agree whoever ran last.
    ST_CHECK(c, tss::main_tss.cr3 == x86::cr3());
    if (r.value().exit_code != 42) return c.fail("smalltest 0 exited %u (user/smalltest/smalltest.cpp)", r.value().exit_code);
}

struct Attack {
    u32 kind;
    const char* what;
    bool needs_limits;
    u32 vector, error;  // the kill expected; error 0xFFFF: the victim's data selector
};
constexpr u32 kVictimDs = 0xFFFF;
const Attack kAttacks[] = {
    {1, "read past its limit", true, 13, 0},
    {2, "write past its limit", true, 13, 0},
    {3, "read another slot", true, 13, 0},
    {4, "write another slot", true, 13, 0},
    {5, "read the client's memory", true, 13, 0},
    {6, "load another small server's selector", false, 11, kVictimDs},
    {7, "load the flat user data selector", false, 11, 0x20},
    {8, "far return to flat ring 3", false, 11, 0x18},
    {9, "SYSENTER", false, 0, 0},
    {10, "load the kernel's data selector", false, 13, 0x10},
};

void servers_are_confined(Case& c) {
    u32 failed = 0, skipped = 0;
    for (const Attack& a : kAttacks) {
        if (a.needs_limits && !limits::enforced()) {
            kprintf("selftest:   small server %u (%s): skipped: limits not enforced here\n", a.kind, a.what);
            skipped++;
            continue;
        }
        auto r = proc::run("smalltest", a.kind);
        if (!r.ok()) return c.skip("the smalltest program is not loaded");
        proc::KillInfo k = proc::last_kill();
        // SYSENTER: refused at the entry where SEP is usable (the bound is 0 while a server runs,
        // src/proc/syscall_entry.asm); where it is not, #UD on a CPU without it, or #GP(0) where the
        // CPU runs it anyway with IA32_SYSENTER_CS 0 (QEMU's 486 model): a fault either way.
        bool vec_ok = a.kind == 9 ? (proc::sysenter_ready() ? k.vector == proc::kKillSysenterRefused
                                                             : k.vector == 6u || k.vector == 13u)
                                  : k.vector == a.vector;
        bool err_ok = a.kind == 9 || a.error == kVictimDs ? (k.error & 3) == 0 : k.error == a.error;
        bool ok = !r.value().killed && r.value().exit_code == 42 && vec_ok && err_ok;
        if (a.kind == 9 && k.vector == proc::kKillSysenterRefused)
            kprintf("selftest:   small server %u (%s): %s (refused at the entry)\n", a.kind, a.what, ok ? "killed, client and other server went on" : "FAILED");
        else
            kprintf("selftest:   small server %u (%s): %s (vector %u error %04x)\n", a.kind, a.what, ok ? "killed, client and other server went on" : "FAILED", k.vector, k.error);
        if (!ok) {
            kprintf("selftest:     smalltest %s %u\n", r.value().killed ? "killed" : "exited", r.value().exit_code);
            failed++;
        }
    }
    if (failed) c.fail("%u attacks from a small server got through or were stopped for the wrong reason", failed);
    else if (skipped) kprintf("selftest:   small: %u of %u server attacks need enforced limits and were not run\n", skipped, u32(sizeof kAttacks / sizeof kAttacks[0]));
}

void clients_are_kept_out(Case& c) {
    static const char* const kWhat[] = {"read the region through SS", "read the region through DS", "write the region through SS"};
    u32 failed = 0;
    for (u32 kind = 20; kind <= 22; kind++) {
        auto r = proc::run("smalltest", kind);
        if (!r.ok()) return c.skip("the smalltest program is not loaded");
        proc::KillInfo k = proc::last_kill();
        // #PF with P = 1 (a protection fault, the page is there) and U = 1 (from ring 3).
        bool ok = r.value().killed && k.vector == 14 && (k.error & 5) == 5;
        kprintf("selftest:   client %u (%s, entered by %s): %s (vector %u error %x)\n", kind, kWhat[kind - 20],
                proc::mech_name(proc::mechanism()), ok ? "killed" : "FAILED", k.vector, k.error);
        if (!ok) failed++;
    }
    if (failed) c.fail("%u client accesses reached the small-space region", failed);
}
}  // namespace

void suite_small(Runner& r) {
    r.run("small: region in every directory, supervisor-only; descriptors cover exactly the slot, DPL 2, hidden", region_and_descriptors);
    r.run("small: echo and RAM disk as small servers agree with the driver and the paging servers", services_three_ways);
    r.run("small: a server past its limit, at another slot, at the client or at others' selectors is killed", servers_are_confined);
    r.run("small: a client returned to by SYSEXIT cannot touch the region through SS or DS", clients_are_kept_out);
}
}  // namespace selftest
