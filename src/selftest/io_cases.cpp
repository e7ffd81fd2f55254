// Self-test: the TSS I/O permission bitmap and IOPL (gdt/iopb.hpp, src/drv/isolation.hpp). The
// bitmap is in the TSS with every port denied; IOPL is 0 in the kernel, in drivers and in
// programs, so ring 3 (and ring 1, once built) goes through the map on every IN/OUT. A driver's
// ports open and close by rewriting only the bytes that differ. Ring 3 faults on every port, and
// the control shows the test can fail: with a port's bit opened, the same IN from ring 3 works.
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/drv/isolation.hpp"
#include "src/drv/registry.hpp"
#include "src/proc/process.hpp"
#include "src/selftest/selftest.hpp"

namespace selftest {
namespace {
constexpr u32 iopl(u32 eflags) { return (eflags >> 12) & 3; }
enum : u32 { kIn = 11, kOut = 12, kInDword = 13, kIoplReport = 14 };  // user/faulter/faulter.cpp

void bitmap_in_place(Case& c) {
    desc::Decoded d = desc::decode(gdt::get(gdt::kTssIndex));
    ST_CHECK(c, d.base == u32(uptr(&tss::main_task)));
    ST_CHECK(c, d.limit == tss::kMainLimit);  // the map and its terminator inside the limit
    ST_CHECK(c, tss::main_tss.iomap_base == sizeof(Tss));
    ST_CHECK(c, tss::io_all_closed());
    ST_CHECK(c, drv::io_ports_open_for() == drv::kNoDriver);
    ST_CHECK(c, iopl(x86::eflags()) == 0);
    ST_CHECK(c, iopl(tss::df_tss.eflags) == 0);
    const drv::Driver* null = drv::by_name("null");
    if (!null || null->state != drv::State::Up) return c.skip("the null driver is not loaded (its EFLAGS are checked through it)");
    u32 f = drv::call("null.flags");
    ST_CHECK(c, !drvabi::is_error(f) && iopl(f) == 0);
}

void ports_switch(Case& c) {
    drv::Driver *serial = drv::by_name("serial"), *kbd = drv::by_name("kbd"), *vga = drv::by_name("vga"),
                *pit = drv::by_name("pit");
    if (!serial || !kbd || !vga || !pit) return c.skip("the serial, kbd, vga and pit drivers are not all loaded");
    u32 s = drv::index_of(*serial), k = drv::index_of(*kbd), v = drv::index_of(*vga), p = drv::index_of(*pit);
    const u8* map = tss::io_map();
    u32 open_serial = drv::switch_io_ports(s);
    bool serial_open = map[0x3F8 / 8] == 0x00 && map[0x60 / 8] == 0xFF;
    u32 to_kbd = drv::switch_io_ports(k);
    bool kbd_open = map[0x3F8 / 8] == 0xFF && map[0x60 / 8] == 0xEE;
    u32 same = drv::switch_io_ports(k);
    u32 to_vga = drv::switch_io_ports(v), to_pit = drv::switch_io_ports(p);
    bool pit_open = map[0x40 / 8] == 0xF0 && map[0x3D4 / 8] == 0xFF;
    u32 closed = drv::switch_io_ports(drv::kNoDriver), again = drv::switch_io_ports(drv::kNoDriver);
    ST_CHECK(c, tss::io_all_closed());
    ST_CHECK(c, serial_open && kbd_open && pit_open);
    ST_CHECK(c, open_serial == 1 && to_kbd == 2 && same == 0 && to_vga == 2 && to_pit == 2 && closed == 1 && again == 0);
    kprintf("selftest:   I/O bitmap bytes written: open serial %u, serial->kbd %u, kbd->kbd %u, kbd->vga %u, vga->pit %u, "
            "close %u, close again %u\n",
            open_serial, to_kbd, same, to_vga, to_pit, closed, again);
}

// A ring-3 port access: killed with #GP(0), or (want_killed = false) allowed.
const char* ring3_io(u32 kind, u16 port, bool want_killed) {
    auto r = proc::run("faulter", kind | u32(port) << 16);
    if (!r.ok()) return "faulter did not run";
    if (r.value().killed != want_killed) return want_killed ? "not killed" : "killed";
    if (want_killed && (proc::last_kill().vector != 13 || proc::last_kill().error != 0)) return "killed, but not by #GP(0)";
    return nullptr;
}

void ring3_ports_closed(Case& c) {
    if (proc::program_count() < 2) return c.skip("the faulter program is not loaded");
    auto iopl_run = proc::run("faulter", kIoplReport);
    ST_CHECK(c, iopl_run.ok() && !iopl_run.value().killed);
    if (iopl_run.value().exit_code != 40)
        return c.fail("a program's IOPL (start, after a system call, after POPF) encoded %u, want 40 (all 0)",
                      iopl_run.value().exit_code);
    struct Try {
        u32 kind;
        u16 port;
    };
    // Every real driver's ports, the PIC, POST, the last port, a dword over the end of the map.
    const Try kTries[] = {{kIn, 0x3FD}, {kIn, 0x40}, {kIn, 0x64}, {kIn, 0x3D5}, {kIn, 0x21}, {kIn, 0xFFFF},
                          {kOut, 0x80}, {kOut, 0x3FF}, {kInDword, 0x3FC}, {kInDword, 0xFFFE}};
    for (const Try& t : kTries)
        if (const char* why = ring3_io(t.kind, t.port, true)) return c.fail("faulter %u port 0x%x: %s", t.kind, t.port, why);
    // After a program's driver call (hello calls null.sum through driver_call) every port is closed.
    auto h = proc::run("hello");
    ST_CHECK(c, h.ok() && h.value().exit_code == 42);
    ST_CHECK(c, tss::io_all_closed());

    // The control: the map is what the CPU consults. With serial's ports open, ring 3 may read its
    // scratch register, and a dword reaching past serial's range still faults. Never done outside
    // this test: ports are opened only while a ring-1 driver runs.
    drv::Driver* serial = drv::by_name("serial");
    if (!serial) return c.skip("no serial driver: the open-port control needs its ports");
    drv::switch_io_ports(drv::index_of(*serial));
    const char* open_in = ring3_io(kIn, 0x3FF, false);
    const char* open_dword = ring3_io(kInDword, 0x3FC, false);
    const char* past = ring3_io(kInDword, 0x3FE, true);  // 0x3FE..0x401: 0x400 is closed
    drv::switch_io_ports(drv::kNoDriver);
    if (open_in || open_dword) return c.fail("ring 3 with serial's ports open: %s", open_in ? open_in : open_dword);
    if (past) return c.fail("a dword over the end of serial's range: %s", past);
    ST_CHECK(c, tss::io_all_closed());
    if (const char* why = ring3_io(kIn, 0x3FF, true)) return c.fail("closed again, port 0x3ff: %s", why);
    kprintf("selftest:   ring 3: %u port accesses killed (#GP(0)); with serial's bits open its ports answered\n",
            u32(sizeof kTries / sizeof kTries[0]) + 2);
}
}  // namespace

void suite_io_bitmap(Runner& r) {
    r.run("iopb: the TSS has a full I/O bitmap, every port closed; IOPL 0 in the kernel and in drivers", bitmap_in_place);
    r.run("iopb: a driver's ports open and close, writing only the bitmap bytes that differ", ports_switch);
    r.run("iopb: ring 3 faults on every port with IOPL 0; an open bit lets it through (the map is live)", ring3_ports_closed);
}
}  // namespace selftest
