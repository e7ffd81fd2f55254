// Self-test: drivers in their own segments, entered through call gates and patched call sites,
// calling each other and the kernel, nesting, and surviving their own faults.
#include "drivers/lib/abi.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "seg/limit_probe.hpp"
#include "src/drv/contain.hpp"
#include "src/console.hpp"
#include "src/dev/serial.hpp"
#include "src/drv/registry.hpp"
#include "src/selftest/selftest.hpp"

namespace selftest {
namespace {

bool have_test_drivers(Case& c) {
    if (drv::by_name("null") && drv::by_name("faulty")) return true;
    c.skip("the null and faulty driver modules are not loaded");
    return false;
}

void segments_match_images(Case& c) {
    if (!have_test_drivers(c)) return;
    const char* const names[] = {"null", "faulty"};
    for (const char* name : names) {
        const drv::Driver& d = *drv::by_name(name);
        desc::Decoded cs = desc::decode(gdt::get(gdt::index_of(d.cs)));
        desc::Decoded ds = desc::decode(gdt::get(gdt::index_of(d.ds)));
        ST_CHECK(c, desc::is_code(cs) && cs.base == d.code_base && cs.limit == drv::code_limit(d) - 1);
        ST_CHECK(c, desc::is_data(ds) && ds.base == d.data_base && ds.limit == d.image.data_limit());
        ST_CHECK(c, !(cs.type & desc::kWritable) || desc::is_code(cs));  // code is never writable
        const char* owner = gdt::owner(d.cs);
        ST_CHECK(c, owner && Str(owner).eq(name));
    }
}

void calls_through_gates(Case& c) {
    if (!have_test_drivers(c)) return;
    ST_CHECK(c, drv::call("null.echo", 0x1234) == 0x1234);
    ST_CHECK(c, drv::call("null.sum", 1, 20, 300) == 321);
    ST_CHECK(c, drv::call("faulty.echo", 77) == 77);
    ST_CHECK(c, drv::call("kernel.echo", 5) == 5);             // the kernel's own gate
    ST_CHECK(c, drv::call("null.no_such_export") == drvabi::error_result(u32(Err::NotFound)));
}

void driver_to_driver_and_kernel(Case& c) {
    if (!have_test_drivers(c)) return;
    ST_CHECK(c, drv::call("null.via_gate", 99) == 99);         // null -> faulty
    u32 t = drv::call("null.ticks");                           // null -> kernel service
    ST_CHECK(c, !drvabi::is_error(t) && t <= drv::call("kernel.ticks"));
    ST_CHECK(c, drv::call("null.nested", 41) == 42);           // null -> faulty -> null
}

// Where null's unpatched site `9A 01 00 00 00 00 00` (import 1: faulty.echo) is, or -1.
i32 find_site(const drv::Driver& d, const u8 want[7]) {
    const u8* code = reinterpret_cast<const u8*>(uptr(d.code_base));
    for (u32 i = 0; i + 7 <= d.image.code_size; i++) {
        u32 k = 0;
        while (k < 7 && code[i + k] == want[k]) k++;
        if (k == 7) return i32(i);
    }
    return -1;
}

void patched_call_site(Case& c) {
    if (!have_test_drivers(c)) return;
    const drv::Driver& null = *drv::by_name("null");
    const u8 unpatched[7] = {0x9A, 0x01, 0, 0, 0, 0, 0};
    i32 at = find_site(null, unpatched);
    if (at < 0) return c.fail("null's call site is not in its unpatched form (patched before the self-test?)");
    u32 before = drv::patched_sites();
    ST_CHECK(c, drv::call("null.via_patched", 7) == 7);        // first run: #GP, patched, rerun
    ST_CHECK(c, drv::patched_sites() == before + 1);
    // Now `9A <faulty.echo's entry stub> 08 00`: a direct far call into the kernel's stub; from a
    // ring-1 null, `9A 00000000 <faulty.echo's gate>`: ring 1 reaches ring-0 code only by a gate.
    u32 stub = gh_entry_stubs[null.import_export[1]];
    u8 patched[7] = {0x9A, u8(stub), u8(stub >> 8), u8(stub >> 16), u8(stub >> 24), 0x08, 0x00};
    if (gh_drivers[drv::index_of(null)].ring == 1) {
        u16 gate = u16(null.import_gate[1] | 1);  // its own gate for the import
        for (u32 i = 1; i < 5; i++) patched[i] = 0;
        patched[5] = u8(gate);
        patched[6] = u8(gate >> 8);
    }
    ST_CHECK(c, find_site(null, patched) == at);
    ST_CHECK(c, find_site(null, unpatched) < 0);
    ST_CHECK(c, drv::call("null.via_patched", 8) == 8);        // now a direct far call
    ST_CHECK(c, drv::patched_sites() == before + 1);           // never patched twice
}

}  // namespace

void suite_drivers(Runner& r) {
    r.run("drivers: segments match the images, owned by their drivers", segments_match_images);
    r.run("drivers: calls through call gates", calls_through_gates);
    r.run("drivers: driver -> driver, driver -> kernel, A -> B -> A", driver_to_driver_and_kernel);
    r.run("drivers: an RDOS call site is patched once into a direct far call", patched_call_site);
}

}  // namespace selftest

// --- far pointers, real drivers, IRQ re-entry, unloading ---
#include "seg/alias.hpp"

namespace selftest {
namespace {

struct Guarded {
    u8 before[32];
    u8 buf[512];
    u8 after[32];
    void reset() {
        for (u8& b : before) b = 0x5A;
        for (u8& b : buf) b = 0;
        for (u8& b : after) b = 0x5A;
    }
    bool canaries() const {
        for (u8 b : before)
            if (b != 0x5A) return false;
        for (u8 b : after)
            if (b != 0x5A) return false;
        return true;
    }
};
Guarded g_area;

void far_pointer_sees_only_the_buffer(Case& c) {
    if (!have_test_drivers(c)) return;
    g_area.reset();
    seg::ScopedAlias alias(g_area.buf, sizeof g_area.buf, true, "selftest-alias");
    ST_CHECK(c, alias.ok());
    u32 sel = alias.ptr().selector;
    ST_CHECK(c, drv::call("null.fill", 512, 0, sel) == 512);
    ST_CHECK(c, g_area.buf[0] == 0xA0 && g_area.buf[511] == u8(0xA0 + 511 % 64));
    ST_CHECK(c, g_area.canaries());
    g_area.reset();
    // One byte too many, or an offset past the end: refused before any byte moves.
    ST_CHECK(c, drv::call("null.fill", 513, 0, sel) == drvabi::error_result(u32(Err::Range)));
    ST_CHECK(c, drv::call("null.fill", 2, 511, sel) == drvabi::error_result(u32(Err::Range)));
    ST_CHECK(c, drv::call("null.fill", 16, 0xFFFFFFF8, sel) == drvabi::error_result(u32(Err::Range)));
    ST_CHECK(c, g_area.buf[0] == 0 && g_area.canaries());
}

void overrun_faults_and_is_contained(Case& c) {
    if (!have_test_drivers(c)) return;
    if (!limits::enforced()) return c.skip("limits not enforced here (QEMU would let the overrun through)");
    g_area.reset();
    seg::ScopedAlias alias(g_area.buf, sizeof g_area.buf, true, "selftest-alias");
    ST_CHECK(c, alias.ok());
    u32 r = drv::call("faulty.overrun", 600, 0, alias.ptr().selector);
    ST_CHECK(c, r == drvabi::error_result(u32(Err::Fault)));
    ST_CHECK(c, g_area.buf[511] == u8(511));  // everything inside the buffer was written
    ST_CHECK(c, g_area.canaries());           // nothing past it
}

void ramdisk_blocks(Case& c) {
    if (!drv::by_name("ramdisk")) return c.skip("the ramdisk driver is not loaded");
    u32 blocks = drv::call("ramdisk.blocks");
    if (blocks == 0) return c.skip("no disk.img module");
    g_area.reset();
    seg::ScopedAlias alias(g_area.buf, sizeof g_area.buf, true, "selftest-alias");
    ST_CHECK(c, alias.ok());
    u32 sel = alias.ptr().selector;
    ST_CHECK(c, drv::call("ramdisk.read", 3, 0, sel) == 0);
    ST_CHECK(c, Str(reinterpret_cast<const char*>(g_area.buf), 17).eq("Gatehouse block 3"));
    ST_CHECK(c, g_area.buf[511] == 3 && g_area.canaries());
    ST_CHECK(c, drv::call("ramdisk.read", blocks, 0, sel) == drvabi::error_result(u32(Err::Range)));
    ST_CHECK(c, drv::call("ramdisk.read", 0xFFFFFFFF, 0, sel) == drvabi::error_result(u32(Err::Range)));
    for (u32 i = 0; i < 512; i++) g_area.buf[i] = u8(i * 7);
    ST_CHECK(c, drv::call("ramdisk.write", 5, 0, sel) == 0);
    g_area.reset();
    ST_CHECK(c, drv::call("ramdisk.read", 5, 0, sel) == 0);
    ST_CHECK(c, g_area.buf[1] == 7 && g_area.buf[511] == u8(511 * 7));
    // A buffer too small for a block is refused.
    seg::ScopedAlias small(g_area.buf, 100, true, "selftest-alias");
    ST_CHECK(c, drv::call("ramdisk.read", 1, 0, small.ptr().selector) == drvabi::error_result(u32(Err::Range)));
}

void irq_reenters_a_running_driver(Case& c) {
    if (!have_test_drivers(c)) return;
    // null.spin waits for IRQ 0 to call null.irq0: the driver is entered again while it runs.
    u32 r = drv::call("null.spin", 3);
    ST_CHECK(c, !drvabi::is_error(r) && r >= 3);
    ST_CHECK(c, gh_calls.top == 0);  // every record released
}

void console_and_devices(Case& c) {
    // The boot log went through the serial driver when the console writes to a UART at all (not on
    // a PC without COM1, nor with console=vga); without one the driver must say so.
    if (drv::by_name("serial")) {
        if (console::serial_on()) ST_CHECK(c, drv::call("serial.sent") > 0);
        else if (!serial::present()) ST_CHECK(c, drv::call("serial.putc", 'x') == drvabi::error_result(u32(Err::Unsupported)));
    }
    if (drv::by_name("pit")) {
        u32 t = drv::call("pit.ticks");
        ST_CHECK(c, !drvabi::is_error(t) && t > 0);
        ST_CHECK(c, drv::call("pit.counter") <= 0xFFFF);
    }
    if (drv::by_name("kbd")) {
        u32 p = drv::call("kbd.present");
        ST_CHECK(c, p == 0 || p == 1);
        kprintf("selftest:   kbd: %s\n", p ? "PS/2 controller present" : "no PS/2 controller: reads answer unsupported");
        u32 r = drv::call("kbd.read");  // no key was pressed: "none" or "no controller"
        ST_CHECK(c, r == drvabi::error_result(u32(Err::NotFound)) || r == drvabi::error_result(u32(Err::Unsupported)));
    }
}

void unload_frees_selectors(Case& c) {
    // A driver others import from cannot go: their far-pointer slots hold its gates.
    if (drv::Driver* faulty = drv::by_name("faulty")) ST_CHECK(c, drv::unload(*faulty).error() == Err::Busy);
    drv::Driver* d = drv::by_name("pit");
    if (!d) return c.skip("the pit driver is not loaded");
    u16 cs = d->cs, ds = d->ds;
    u32 used = gdt::used();
    u32 gates = d->export_count;
    ST_CHECK(c, drv::unload(*d).ok());
    ST_CHECK(c, gdt::owner(cs) == nullptr && gdt::owner(ds) == nullptr);
    ST_CHECK(c, gdt::used() == used - 2 - gates);
    ST_CHECK(c, drv::call("pit.ticks") == drvabi::error_result(u32(Err::NotFound)));
    ST_CHECK(c, !drv::unload(*d).ok());  // twice: refused
}

}  // namespace

void suite_driver_io(Runner& r) {
    r.run("far pointers: a driver sees only the buffer it is given", far_pointer_sees_only_the_buffer);
    r.run("far pointers: an unchecked overrun faults and is contained", overrun_faults_and_is_contained);
    r.run("ramdisk: 512-byte blocks read and written through far pointers", ramdisk_blocks);
    r.run("drivers: IRQ 0 enters a driver again while it runs", irq_reenters_a_running_driver);
    r.run("drivers: console, pit and keyboard drivers answer", console_and_devices);
    r.run("drivers: unloading frees the selectors and gates", unload_frees_selectors);
}

}  // namespace selftest
