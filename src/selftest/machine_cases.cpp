// Self-test: frames, the timer, and the CPU decisions against raw CPUID.
#include "src/arch/cpu_detect.hpp"
#include "src/arch/x86.hpp"
#include "src/dev/pit.hpp"
#include "src/mm/frames.hpp"
#include "src/mm/layout.hpp"
#include "src/selftest/selftest.hpp"
#include "src/drv/registry.hpp"

namespace selftest {
namespace {

void frames_allocate_and_free(Case& c) {
    u32 before = frames::free_count();
    ST_CHECK(c, before > 0);
    u32 got[3];
    for (u32& f : got) {
        auto r = frames::alloc();
        ST_CHECK(c, r.ok());
        f = r.value();
        ST_CHECK(c, (f & 0xFFF) == 0 && f >= 0x100000);
        ST_CHECK(c, frames::usable(f));
    }
    ST_CHECK(c, got[0] != got[1] && got[1] != got[2] && got[0] != got[2]);
    ST_CHECK(c, frames::free_count() == before - 3);
    // The memory is really there: a pattern written at both ends reads back.
    for (u32 f : got) {
        volatile u32* p = mm::p2v<volatile u32>(f);
        p[0] = f ^ 0xA5A5A5A5;
        p[1023] = ~f;
    }
    for (u32 f : got) {
        volatile u32* p = mm::p2v<volatile u32>(f);
        ST_CHECK(c, p[0] == (f ^ 0xA5A5A5A5) && p[1023] == ~f);
    }
    for (u32 f : got) ST_CHECK(c, frames::free(f).ok());
    ST_CHECK(c, !frames::free(got[0]).ok());      // double free refused
    ST_CHECK(c, !frames::free(0x1234).ok());      // unaligned refused
    ST_CHECK(c, frames::free_count() == before);
}

void timer_ticks(Case& c) {
    u32 start = pit::ticks();
    // At 100 Hz three ticks take 30 ms; the bound only stops a dead timer from hanging the test.
    for (u32 spins = 0; pit::ticks() < start + 3 && spins < 10000; spins++) x86::sti_hlt();
    ST_CHECK(c, pit::ticks() >= start + 3);
}

// A driver with the timer's ports (pit) can reprogram channel 0, the kernel's tick: a divisor of
// 50 makes IRQ 0 come 240 times as often. After pit::kStormTicks ticks with the count far below
// the divisor the kernel programs the timer again (src/dev/pit.cpp; the campaign's seed 21,
// injection 104330 hung Bochs with such a storm before the check).
void timer_reprogrammed_is_repaired(Case& c) {
    if (!(x86::eflags() & (1u << 9))) return c.fail("the self-test runs with IF = 0: no IRQ 0 could come");
    u32 repairs = pit::repairs();
    x86::cli();
    x86::outb(0x43, 0x34);  // channel 0, lobyte/hibyte, mode 2: what the pit driver's ports allow
    x86::outb(0x40, 50);
    x86::outb(0x40, 0);
    x86::sti();
    u32 start = pit::ticks();
    for (u32 spins = 0; pit::ticks() < start + 2 * pit::kStormTicks && spins < 10000; spins++) x86::sti_hlt();
    ST_CHECK(c, pit::repairs() == repairs + 1);
    start = pit::ticks();
    for (u32 spins = 0; pit::ticks() < start + 3 && spins < 10000; spins++) x86::sti_hlt();
    ST_CHECK(c, pit::repairs() == repairs + 1);  // once: the kernel's period again
}

// The largest count channel 0 shows while `ticks` ticks pass: about the divisor in force.
u32 largest_count(u32 ticks) {
    u32 start = pit::ticks(), most = 0;
    for (u32 spins = 0; pit::ticks() < start + ticks && spins < 5000000; spins++) {
        u16 n = pit::read_count();
        if (n > most) most = n;
    }
    return most;
}

// A period the tick's checks cannot see (3 times faster: never a count above the divisor, never
// below an eighth of it) stays until the driver that owns the timer's ports restarts; its restart
// programs channel 0 again before its init runs (campaign seed 80, injection 1470110).
void timer_programmed_again_at_restart(Case& c) {
    drv::Driver* p = drv::by_name("pit");
    if (!p) return c.skip("the pit driver is not loaded");
    if (!(x86::eflags() & (1u << 9))) return c.fail("the self-test runs with IF = 0: no IRQ 0 could come");
    constexpr u16 kFast = pit::divisor(pit::kTickHz) / 3;
    u32 repairs = pit::repairs(), resets = pit::resets(), restarts = p->restarts;
    x86::cli();
    x86::outb(0x43, 0x34);
    x86::outb(0x40, u8(kFast));
    x86::outb(0x40, u8(kFast >> 8));
    x86::sti();
    u32 fast = largest_count(8);
    ST_CHECK(c, fast <= kFast && pit::repairs() == repairs);  // unseen by the tick's checks
    ST_CHECK(c, drv::reload(*p).ok());
    u32 again = largest_count(3);
    if (again <= kFast || pit::repairs() != repairs)
        return c.fail("after pit's restart: largest count %u (fast divisor %u), %u repairs by the ticks, %u resets",
                      again, kFast, pit::repairs() - repairs, pit::resets() - resets);
    ST_CHECK(c, again <= pit::divisor(pit::kTickHz));
    ST_CHECK(c, pit::resets() == resets + 1 && p->restarts == restarts + 1);
}

void cpu_decisions_match_cpuid(Case& c) {
    const CpuInfo& info = cpu::info();
    cpu::LiveCpuid live;
    ST_CHECK(c, info.has_cpuid == live.has_cpuid());
    if (!info.has_cpuid) {
        ST_CHECK(c, !info.tsc && !info.sep_usable && !info.pse && !info.pge);
        return;
    }
    CpuidRegs l0 = live.query(0);
    ST_CHECK(c, info.max_leaf == l0.eax);
    if (l0.eax >= 1) {
        CpuidRegs l1 = live.query(1);
        ST_CHECK(c, info.tsc == bool(l1.edx & (1u << 4)));
        ST_CHECK(c, info.pse == bool(l1.edx & (1u << 3)));
        ST_CHECK(c, info.pge == bool(l1.edx & (1u << 13)));
        ST_CHECK(c, info.sep_reported == bool(l1.edx & (1u << 11)));
        ST_CHECK(c, !info.sep_usable || info.sep_reported);
    }
    if (info.tsc) {
        u64 a = x86::rdtsc();
        u64 b = x86::rdtsc();
        ST_CHECK(c, b > a);
    }
}

}  // namespace

void suite_machine(Runner& r) {
    r.run("frames: allocate, use and free", frames_allocate_and_free);
    r.run("pit: the timer ticks", timer_ticks);
    r.run("pit: a timer reprogrammed through its ports is programmed again at the next tick", timer_reprogrammed_is_repaired);
    r.run("pit: a faster period the ticks cannot see is programmed again when pit restarts",
          timer_programmed_again_at_restart);
    r.run("cpu: decisions match CPUID", cpu_decisions_match_cpuid);
}

}  // namespace selftest

// --- paging ---
#include "gdt/layout.hpp"
#include "seg/fixup.hpp"
#include "seg/guarded.hpp"
#include "src/mm/paging.hpp"

extern "C" u32 boot_page_directory[1024];

namespace selftest {
namespace {
void kernel_in_the_higher_half(Case& c) {
    ST_CHECK(c, x86::cr0() & 0x80000000u);                           // CR0.PG
    ST_CHECK(c, x86::cr3() == paging::kernel_directory_phys());
    ST_CHECK(c, boot_page_directory[0] == 0);                         // no identity mapping left
    ST_CHECK(c, u32(uptr(&kernel_in_the_higher_half)) >= mm::kKernelBase);
    const CpuInfo& cpu = cpu::info();
    u32 pde = boot_page_directory[mm::kKernelBase >> 22];
    ST_CHECK(c, (pde & paging::kPresent) && !(pde & paging::kUser));  // the kernel is not user-accessible
    ST_CHECK(c, bool(pde & paging::kBig) == cpu.pse);                 // 4 MiB pages exactly where PSE exists
    if (cpu.pse || cpu.pge) {
        u32 cr4 = x86::cr4();
        ST_CHECK(c, bool(cr4 & (1u << 4)) == cpu.pse);
        ST_CHECK(c, bool(cr4 & (1u << 7)) == cpu.pge);
    }
    // Low memory is user space now: the kernel touching it takes a #PF (fixed up here).
    u32 v = 0;
    ST_CHECK(c, guarded_read32(gdt::kKernelDS, 0x1000, &v) == -1);
    ST_CHECK(c, fixup::last().vector == 14);
    ST_CHECK(c, paging::mapped_bytes() >= (4u << 20));
    // Exactly the RAM there is: the first byte past it is not mapped (below the direct map's end).
    ST_CHECK(c, paging::mapped_bytes() == frames::ram_top() ||
                    paging::mapped_bytes() == mm::kDirectMapBytes);
    if (paging::mapped_bytes() < mm::kDirectMapBytes) {
        ST_CHECK(c, guarded_read32(gdt::kKernelDS, mm::kKernelBase + paging::mapped_bytes(), &v) == -1);
        ST_CHECK(c, fixup::last().vector == 14);
        ST_CHECK(c, guarded_read32(gdt::kKernelDS, mm::kKernelBase + paging::mapped_bytes() - 4, &v) == 0);
    }
    // CR0.WP: ring-0 writes honour read-only pages (docs/syscalls.md; user/hostile kind 4 shows it).
    ST_CHECK(c, x86::cr0() & (1u << 16));
}
}  // namespace

void suite_paging(Runner& r) { r.run("paging: kernel at 3 GiB in PSE/PGE as CPUID allows, low memory unmapped, only the RAM there is, WP on", kernel_in_the_higher_half); }
}  // namespace selftest
