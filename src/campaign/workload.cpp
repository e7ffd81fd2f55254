#include "src/campaign/workload.hpp"
#include "drivers/lib/abi.hpp"
#include "seg/alias.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/kernel_services.hpp"
#include "src/drv/registry.hpp"
#include "src/mm/frames.hpp"
#include "src/mm/layout.hpp"

namespace campaign {
namespace {
constexpr u32 kBlock = 512;
alignas(16) u8 g_buf[kBlock];  // the drivers write into it through a narrow alias
u16 g_buf_sel = 0;
const u8* g_disk_copy = nullptr;  // the disk as it was before the first injection
u32 g_disk_bytes = 0;
u32 g_kbd_present = 0;

Target g_targets[drv::kMaxDrivers];
u32 g_target_count = 0;

// Gates by name, resolved once: drv::call would search the directory on every call.
struct Gate {
    const char* name;
    u16 sel;
};
Gate g_gates[] = {
    {"null.echo", 0}, {"null.sum", 0}, {"null.calls", 0}, {"null.via_gate", 0}, {"null.via_patched", 0},
    {"null.nested", 0}, {"null.fill", 0}, {"null.ticks", 0}, {"null.spin", 0}, {"null.irq0", 0},
    {"faulty.echo", 0}, {"faulty.state", 0}, {"faulty.call_null", 0}, {"faulty.overrun", 0},
    {"ramdisk.read", 0}, {"ramdisk.blocks", 0},
    {"vga.putc", 0}, {"vga.position", 0},
    {"serial.putc", 0}, {"serial.getc", 0}, {"serial.sent", 0},
    {"pit.counter", 0}, {"pit.ticks", 0}, {"pit.irq0", 0},
    {"kbd.read", 0}, {"kbd.present", 0},
};
enum G : u32 {
    NullEcho, NullSum, NullCalls, NullViaGate, NullViaPatched, NullNested, NullFill, NullTicks, NullSpin, NullIrq0,
    FaultyEcho, FaultyState, FaultyCallNull, FaultyOverrun,
    RamdiskRead, RamdiskBlocks,
    VgaPutc, VgaPosition,
    SerialPutc, SerialGetc, SerialSent,
    PitCounter, PitTicks, PitIrq0,
    KbdRead, KbdPresent,
    GateCount,
};
static_assert(sizeof(g_gates) / sizeof(g_gates[0]) == GateCount);

u32 call(G g, u32 a = 0, u32 b = 0, u32 c = 0) {
    return g_gates[g].sel ? gh_call_gate(g_gates[g].sel, a, b, c) : drvabi::error_result(u32(Err::NotFound));
}
constexpr u32 err(Err e) { return drvabi::error_result(u32(e)); }

// Let one PIT tick pass, so the IRQ 0 exports run (IF = 1 here: the campaign runs with it on).
// The pit driver declares ports 0x40-0x43, which also program the kernel's own tick (pit::on_tick
// checks the period at every tick, src/dev/pit.hpp). A timer that no longer counts, or counts in
// another mode (one shot), would bring no tick at all: before each wait the count must move and
// the mode be the kernel's; if not, the timer is programmed again (pit::repair; the campaign counts repairs as damage to the pit driver's own device).
void wait_tick() {
    u16 a = pit::read_count();
    for (u32 i = 0; i < 64; i++) asm volatile("" ::: "memory");  // ~200 instructions: 1.19 counts per µs
    if (pit::read_count() == a || !pit::mode_as_programmed()) pit::repair();
    u32 t = pit::ticks();
    while (pit::ticks() == t) x86::sti_hlt();
}

bool work_null(u32 salt, bool wait_irq) {
    bool ok = call(NullEcho, salt) == salt;
    ok &= call(NullSum, 1, 2, salt) == salt + 3;
    u32 calls = call(NullCalls);
    ok &= call(NullEcho, ~salt) == ~salt;
    ok &= call(NullCalls) == calls + 1;
    ok &= call(NullViaGate, salt ^ 0x55) == (salt ^ 0x55);
    ok &= call(NullViaPatched, salt + 9) == salt + 9;
    ok &= call(NullNested, salt & 0xFFFF) == (salt & 0xFFFF) + 1;
    for (u32 i = 0; i < 64; i++) g_buf[i] = 0;
    ok &= call(NullFill, 64, 0, g_buf_sel) == 64;
    for (u32 i = 0; i < 64; i++) ok &= g_buf[i] == u8(0xA0 + i);
    u32 t0 = pit::ticks();
    u32 t = call(NullTicks);
    ok &= !drvabi::is_error(t) && t >= t0;
    if (wait_irq) wait_tick();  // null.irq0 runs (null.spin would busy-wait for it: slower in Bochs)
    return ok;
}

bool work_faulty(u32 salt, bool) {
    bool ok = call(FaultyEcho, salt) == salt;
    ok &= call(FaultyState) == 0x600DF00D;  // the pristine data: the workload never sets it
    ok &= call(FaultyCallNull, salt & 0xFFFF) == (salt & 0xFFFF) + 1;
    for (u32 i = 0; i < 16; i++) g_buf[i] = 0xEE;
    ok &= call(FaultyOverrun, 16, 0, g_buf_sel) == 16;
    for (u32 i = 0; i < 16; i++) ok &= g_buf[i] == i;
    return ok;
}

bool work_ramdisk(u32 salt, bool) {
    u32 blocks = g_disk_bytes / kBlock;
    bool ok = call(RamdiskBlocks) == blocks;
    u32 b = salt % blocks;
    for (u32 i = 0; i < kBlock; i++) g_buf[i] = 0;
    ok &= call(RamdiskRead, b, 0, g_buf_sel) == 0;
    const u8* want = g_disk_copy + b * kBlock;
    for (u32 i = 0; i < kBlock; i++) ok &= g_buf[i] == want[i];
    ok &= call(RamdiskRead, blocks + (salt >> 20), 0, g_buf_sel) == err(Err::Range);
    return ok;
}

bool work_vga(u32 salt, bool) {
    // '\r' then one character: the cursor moves within the row, never scrolls.
    bool ok = call(VgaPutc, '\r') == 0;
    u32 p = call(VgaPosition);
    ok &= p < 80 * 25 && p % 80 == 0;
    ok &= call(VgaPutc, 'a' + salt % 26) == 0;
    ok &= call(VgaPosition) == p + 1;
    return ok;
}

bool work_serial(u32, bool) {
    u32 s = call(SerialSent);
    bool ok = call(SerialPutc, '\r') == 0;  // a CR: harmless in the serial log
    ok &= call(SerialSent) == s + 1;
    u32 g = call(SerialGetc);
    ok &= g == err(Err::NotFound) || g < 256;
    return ok;
}

bool work_pit(u32, bool wait_irq) {
    u32 c = call(PitCounter);
    bool ok = c <= 0xFFFF;
    u32 t0 = call(PitTicks);
    ok &= !drvabi::is_error(t0);
    if (wait_irq) {
        wait_tick();
        ok &= call(PitTicks) > t0;  // pit.irq0 ran and counted
    }
    return ok;
}

bool work_kbd(u32, bool) {
    bool ok = call(KbdPresent) == g_kbd_present;
    u32 r = call(KbdRead);
    ok &= r == err(Err::NotFound) || r == err(Err::Unsupported) || r < 256;
    return ok;
}

struct Kind {
    const char* name;
    bool (*work)(u32, bool);
    G exercised[kMaxExercised];
    u32 count;
};
const Kind kKinds[] = {
    {"null", work_null, {NullEcho, NullSum, NullCalls, NullViaGate, NullViaPatched, NullNested, NullFill, NullTicks, NullIrq0}, 9},
    {"faulty", work_faulty, {FaultyEcho, FaultyState, FaultyCallNull, FaultyOverrun}, 4},
    {"ramdisk", work_ramdisk, {RamdiskRead, RamdiskBlocks}, 2},
    {"vga", work_vga, {VgaPutc, VgaPosition}, 2},
    {"serial", work_serial, {SerialPutc, SerialGetc, SerialSent}, 3},
    {"pit", work_pit, {PitCounter, PitTicks, PitIrq0}, 3},
    {"kbd", work_kbd, {KbdRead, KbdPresent}, 2},  // kbd.irq1 never runs without a key: not a stub target
};
}  // namespace

bool workload_init() {
    for (Gate& g : g_gates) {
        const drv::GateEntry* e = drv::find_gate(g.name);
        g.sel = e ? e->gate : 0;
    }
    auto alias = seg::make_alias(u32(uptr(g_buf)), kBlock, true, "campaign");
    if (!alias.ok()) {
        kprintf("campaign: no alias for the kernel buffer (%s)\n", err_name(alias.error()));
        return false;
    }
    g_buf_sel = alias.value().selector;
    u32 linear = 0;
    if (drv::by_name("ramdisk") && drv::disk_module(&linear, &g_disk_bytes) && g_disk_bytes >= kBlock) {
        auto copy = frames::alloc_run((g_disk_bytes + 0xFFF) & ~0xFFFu);
        if (!copy.ok()) {
            kprintf("campaign: no memory for a copy of the disk\n");
            return false;
        }
        u8* dst = mm::p2v<u8>(copy.value());
        const u8* src = reinterpret_cast<const u8*>(uptr(linear));
        for (u32 i = 0; i < g_disk_bytes; i++) dst[i] = src[i];
        g_disk_copy = dst;
    }
    g_kbd_present = call(KbdPresent);

    g_target_count = 0;
    for (const Kind& k : kKinds) {
        drv::Driver* d = drv::by_name(k.name);
        if (!d || d->state != drv::State::Up) continue;
        if (Str(k.name).eq("ramdisk") && !g_disk_copy) continue;
        Target& t = g_targets[g_target_count++];
        t = Target{};
        t.driver = d;
        t.name = k.name;
        t.work = k.work;
        for (u32 i = 0; i < k.count; i++) {
            const drv::GateEntry* e = drv::find_gate(g_gates[k.exercised[i]].name);
            if (!e) continue;
            t.exercised_code[t.exercised] = gh_exports[e->export_id].code;
            t.exercised_name[t.exercised] = g_gates[k.exercised[i]].name;
            Str n(g_gates[k.exercised[i]].name);
            t.exercised_irq[t.exercised] = n.sub(n.find('.') + 1).starts_with("irq");
            t.exercised++;
        }
    }
    return g_target_count > 1;
}

bool disk_intact() {
    if (!g_disk_copy) return true;
    u32 linear, bytes;
    if (!drv::disk_module(&linear, &bytes)) return false;
    const u8* live = reinterpret_cast<const u8*>(uptr(linear));
    for (u32 i = 0; i < bytes; i++)
        if (live[i] != g_disk_copy[i]) return false;
    return true;
}

void restore_disk() {
    u32 linear, bytes;
    if (!g_disk_copy || !drv::disk_module(&linear, &bytes)) return;
    u8* live = reinterpret_cast<u8*>(uptr(linear));
    for (u32 i = 0; i < bytes; i++) live[i] = g_disk_copy[i];
}

u32 targets(Target** out) {
    *out = g_targets;
    return g_target_count;
}

}  // namespace campaign
