// Self-test: the crayon matrix's three columns (src/selftest/crayon_matrix.hpp). The crayon
// driver tries each case on a harmless target the test hands in, with crayon and null in ring 0,
// then in ring 1, then in GDT domains (drv::change_mode). In ring 0 the test checks that the case
// really happened (the canary changed, the port read what the PIC holds, ...), restores what
// changed, and prints it as "not enforceable in ring 0"; in ring 1 it checks that the case faulted
// with #GP and was contained with its target unchanged, or, for the rows only GDT domains stop,
// that it still succeeded; in domains that every case faulted (#NP where the descriptor is hidden)
// and was contained. Around the whole matrix the checksummed set must not change.
#include "src/selftest/crayon_matrix.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/contain.hpp"
#include "src/drv/integrity.hpp"
#include "src/drv/isolation.hpp"
#include "src/drv/registry.hpp"
#include "src/lib/format.hpp"
#include "src/selftest/selftest.hpp"

// A kernel variable crayon.run rewrites through the flat selector 0x10 (in .data: the
// checksummed kernel text and rodata do not cover it, and the test restores it anyway).
volatile u32 g_crayon_canary = 0xC0FFEE11;

namespace selftest {
namespace {
constexpr u32 kDone = 0xC0105ED;  // drivers/crayon/crayon.cpp
constexpr u32 kIf = 1u << 9;
constexpr u16 kPicMask = 0x21;

drv::Snapshot g_before;
bool g_have_before = false;

// Arm crayon for one call: its code descriptor is present only while the matrix calls it.
u32 run(u32 kind, u32 a = 0, u32 b = 0) {
    drv::Driver* crayon = drv::by_name("crayon");
    gdt::set_present(crayon->cs, true);
    u32 r = drv::call("crayon.run", kind, a, b);
    gdt::set_present(crayon->cs, false);
    return r;
}

// null's own call gate for its import of faulty.echo (src/drv/imports.cpp), or 0.
u16 null_gate_for_faulty_echo(const drv::Driver& null) {
    const drv::GateEntry* echo = drv::find_gate("faulty.echo");
    for (u32 i = 0; echo && i < null.image.import_count(); i++)
        if (null.import_export[i] == echo->export_id) return null.import_gate[i];
    return 0;
}

// One case in ring 0: nullptr when it succeeded and was checked (evidence in `what`), else why not.
const char* ring0_case(CrayonKind kind, char* what, u32 cap) {
    drv::Driver* null = drv::by_name("null");
    switch (kind) {
    case kFlatWrite: {
        u32 old = g_crayon_canary, want = ~old;
        u32 r = run(kind, u32(uptr(&g_crayon_canary)), want);
        u32 seen = g_crayon_canary;
        g_crayon_canary = old;
        if (r != kDone || seen != want) return "the kernel canary did not change";
        format(what, cap, "kernel canary at %08x rewritten to %08x, restored", u32(uptr(&g_crayon_canary)), want);
        return nullptr;
    }
    case kForeignData: {
        u32 r = run(kind, null->ds, null->image.data_offset);  // null's driver header
        if (r != drvabi::kMagic) return "did not read null's header through null's DS";
        format(what, cap, "read null's header magic %08x through null's DS 0x%04x", r, u32(null->ds));
        return nullptr;
    }
    case kForeignCall: {
        u32 retf = null->image.header.trampoline + 2;  // `call ebx` is 2 bytes (drivers/lib/crt.asm)
        if (*reinterpret_cast<const u8*>(uptr(null->code_base + retf)) != 0xCB) return "null's trampoline has no retf there";
        if (run(kind, null->cs, retf) != kDone) return "the far call did not come back";
        format(what, cap, "far call to null's %04x:%x (its trampoline's retf) came back", u32(null->cs), retf);
        return nullptr;
    }
    case kUserData: {
        u32 r = run(kind);
        if (r != gdt::kUserDS) return "FS does not hold the user data selector";
        format(what, cap, "FS = 0x%04x loaded", r);
        return nullptr;
    }
    case kCliSti: {
        if (run(kind) != 2) return "IF was not 0 after CLI and 1 after STI";
        format(what, cap, "IF = 0 after CLI, 1 after STI");
        return nullptr;
    }
    case kHlt: {
        if (!(x86::eflags() & kIf)) return "the test runs with IF = 0: HLT would never wake";
        u32 t0 = pit::ticks();
        if (run(kind) != kDone) return "HLT did not return";
        format(what, cap, "halted until an interrupt (PIT ticks %u -> %u)", t0, pit::ticks());
        return nullptr;
    }
    case kLgdt: {
        x86::TablePtr g = x86::sgdt();
        u32 r = run(kind);
        x86::TablePtr after = x86::sgdt();
        if (r != kDone || after.base != g.base || after.limit != g.limit) return "LGDT did not run or changed GDTR";
        format(what, cap, "GDTR %08x/%x loaded again", g.base, u32(g.limit));
        return nullptr;
    }
    case kMovCr3: {
        u32 cr3 = x86::cr3(), r = run(kind);
        if (r != cr3) return "CR3 was not the same";
        format(what, cap, "CR3 %08x written back (the TLB flushed)", r);
        return nullptr;
    }
    case kUndeclaredPort: {
        const drv::Driver* me = drv::by_name("crayon");
        if (drv::isolation(drv::index_of(*me)).ports.allows(kPicMask)) return "crayon declares port 0x21";
        u32 flags = x86::eflags();
        x86::cli();  // nothing changes the mask between the two reads
        u8 mask = x86::inb(kPicMask);
        u32 r = run(kind, kPicMask);
        x86::set_eflags(flags);
        // IRQ 0 is unmasked (bit 0 clear): a floating or absent port would read 0xFF.
        if (r != mask || (mask & 1)) return "the port read did not give the PIC's mask";
        format(what, cap, "read the PIC mask 0x%02x from port 0x21 and wrote it back", r);
        return nullptr;
    }
    case kGdtWrite: {
        auto probe = gdt::alloc("selftest", 0);  // find a free slot: take one and give it back
        if (!probe.ok() || !gdt::release(probe.value()).ok()) return "no free GDT slot";
        u16 index = gdt::index_of(probe.value());
        constexpr u32 kPattern = 0x0000C4A7;  // a limit, nothing else: P = 0 (harmless if loaded)
        u32 r = run(kind, index, kPattern);
        u64 seen = gdt::get(index);
        u32 back = run(kind, index, 0);  // the driver puts the zero back itself
        if (r != kDone || seen != kPattern) return "the GDT slot was not written";
        if (back != kDone || gdt::get(index) != 0 || gdt::owner(probe.value())) return "the GDT slot was not restored";
        format(what, cap, "GDT slot %u written (%08x) and zeroed again through 0x10", u32(index), kPattern);
        return nullptr;
    }
    case kUnimportedExport: {
        const drv::GateEntry* echo = drv::find_gate("null.echo");
        if (!echo) return "null.echo is not in the gate directory";
        u32 r = run(kind, echo->gate, 0x5EC0);
        if (r != 0x5EC0) return "the call through null.echo's public gate did not answer";
        format(what, cap, "null.echo answered through its public gate 0x%04x (crayon imports nothing)", u32(echo->gate));
        return nullptr;
    }
    case kForeignImportGate: {
        u16 gate = null_gate_for_faulty_echo(*null);
        if (!gate) return "null has no import gate for faulty.echo";
        u32 r = run(kind, gate, 0x1D0);
        if (r != 0x1D0) return "faulty.echo did not answer through null's gate";
        format(what, cap, "faulty.echo answered through null's own gate 0x%04x", u32(gate));
        return nullptr;
    }
    }
    return "unknown case";
}

// A case that must fault in ring 1 or in a domain: it is contained (crayon reloaded, the call
// answers -Fault) with the exception the row names, and what it aimed at is unchanged.
const char* fault_case(CrayonKind kind, drv::Driver& crayon, drv::Driver& null, u8 vector, char* what, u32 cap) {
    u32 faults = crayon.faults, canary = g_crayon_canary, cr3 = x86::cr3();
    x86::TablePtr g = x86::sgdt();
    u32 r;
    switch (kind) {
    case kFlatWrite: r = run(kind, u32(uptr(&g_crayon_canary)), ~canary); break;
    case kForeignData: r = run(kind, null.ds, null.image.data_offset); break;
    case kForeignCall: r = run(kind, null.cs, null.image.header.trampoline + 2); break;
    case kUndeclaredPort: r = run(kind, kPicMask); break;
    case kGdtWrite: r = run(kind, 0, 0x0000C4A7); break;  // slot 0, the null descriptor, if it got through
    case kUnimportedExport: r = run(kind, drv::find_gate("null.echo") ? drv::find_gate("null.echo")->gate : 0, 0x5EC0); break;
    case kForeignImportGate: r = run(kind, null_gate_for_faulty_echo(null), 0x1D0); break;
    default: r = run(kind); break;
    }
    x86::TablePtr after = x86::sgdt();
    if (r != drvabi::error_result(u32(Err::Fault))) return "it did not fault (or the fault was not contained)";
    if (crayon.faults != faults + 1 || crayon.state != drv::State::Up) return "crayon was not contained and reloaded";
    if (drv::last_contained_vector() != vector) return vector == 11 ? "it faulted, but not with #NP" : "it faulted, but not with #GP";
    if (g_crayon_canary != canary || x86::cr3() != cr3 || after.base != g.base || after.limit != g.limit || gdt::get(0) != 0)
        return "its target changed";
    format(what, cap, "%s at CPL 1, contained (crayon reloaded, the call answered -Fault)", vector == 11 ? "#NP" : "#GP");
    return nullptr;
}

// Both drivers of the matrix in one mode (the ring-1 column needs null in ring 1 too: a
// "same privilege" case names a DPL-1 target).
bool set_modes(drvabi::Mode m) {
    return drv::change_mode(*drv::by_name("crayon"), m).ok() && drv::change_mode(*drv::by_name("null"), m).ok();
}

template <u32 Row>
void crayon_case(Case& c) {
    const CrayonCase& row = kCrayonCases[Row];
    drv::Driver* crayon = drv::by_name("crayon");
    drv::Driver* null = drv::by_name("null");
    if (!crayon || !null || crayon->state != drv::State::Up || null->state != drv::State::Up)
        return c.skip("the crayon and null driver modules are not loaded");
    u32 ci = drv::index_of(*crayon), ni = drv::index_of(*null);
    drvabi::Mode crayon_mode = drv::isolation(ci).effective, null_mode = drv::isolation(ni).effective;
    if (Row == 0) {
        kprintf("selftest:   crayon asks for %s (effective: %s); each case runs with crayon and null in ring 0, "
                "then in ring 1, then in GDT domains (drv::change_mode)\n",
                drv::mode_name(drv::isolation(ci).requested), drv::mode_name(crayon_mode));
        g_before = drv::snapshot(nullptr);
        g_have_before = true;
    }
    char what0[112] = "", what1[112] = "", what2[112] = "";
    const char* why = nullptr;
    u32 faults = crayon->faults;
    if (!set_modes(drvabi::kRing0)) why = "could not put crayon and null in ring 0";
    if (!why) why = ring0_case(row.kind, what0, sizeof what0);
    bool faulted0 = crayon->faults != faults;
    if (!why && !faulted0 && set_modes(drvabi::kRing1)) {
        faults = crayon->faults;
        if (drv::running_mode(ci) != drvabi::kRing1) why = "crayon did not switch to ring 1";
        else if (row.ring1 == Expect::Faults) why = fault_case(row.kind, *crayon, *null, 13, what1, sizeof what1);
        else if ((why = ring0_case(row.kind, what1, sizeof what1)) == nullptr && crayon->faults != faults)
            why = "it faulted in ring 1, where nothing stops it";
    } else if (!why && !faulted0) {
        why = "could not put crayon and null in ring 1";
    }
    // Domains: what ring 1 already stops faults as there (#GP); what only a domain stops is a
    // descriptor not present in crayon's GDT (#NP).
    if (!why && !faulted0 && set_modes(drvabi::kRing1Domains)) {
        if (drv::running_mode(ci) != drvabi::kRing1Domains) why = "crayon did not switch to a domain";
        else why = fault_case(row.kind, *crayon, *null, row.ring1 == Expect::Faults ? 13 : 11, what2, sizeof what2);
    } else if (!why && !faulted0) {
        why = "could not put crayon and null in GDT domains";
    }
    bool restored = drv::change_mode(*crayon, crayon_mode).ok() && drv::change_mode(*null, null_mode).ok();
    if (faulted0) return c.fail("case %u faulted in ring 0 (contained): ring 0 enforces nothing here", Row + 1);
    if (why) return c.fail("case %u: %s", Row + 1, why);
    if (!restored) return c.fail("case %u: crayon and null could not go back to their modes", Row + 1);
    static_assert(column_built(drvabi::kRing0) && column_built(drvabi::kRing1) && column_built(drvabi::kRing1Domains));
    kprintf("selftest:   crayon %2u %s: ring 0: succeeded, not enforceable in ring 0 (%s)\n", Row + 1, row.name, what0);
    kprintf("selftest:   crayon %2u   ring 1: %s (%s%s%s)\n", Row + 1,
            row.ring1 == Expect::Faults ? "faulted, contained" : "succeeded, not enforceable in ring 1", what1,
            row.ring1 == Expect::Faults ? ": " : "", row.ring1 == Expect::Faults ? row.why : "");
    kprintf("selftest:   crayon %2u   domains: faulted, contained (%s: %s)\n", Row + 1, what2, row.why);
}

void checksummed_set_unchanged(Case& c) {
    if (!g_have_before) return c.skip("the crayon matrix did not run");
    drv::Snapshot after = drv::snapshot(nullptr);
    if (!(after == g_before)) return c.fail("changed: %s", drv::snapshot_diff(g_before, after));
    ST_CHECK(c, tss::io_all_closed());
    ST_CHECK(c, g_crayon_canary == 0xC0FFEE11);
}

template <u32... Rows>
void run_rows(Runner& r, const char* const* names) {
    ((r.run(names[Rows], crayon_case<Rows>)), ...);
}
}  // namespace

// Outside the matrix, crayon's code selector is not present: a stray far transfer into it from a
// faulty driver (the fault-injection campaign makes such transfers) lands in #NP and is contained
// as the jumper's fault, instead of running crayon's CLI, HLT or flat stores with whatever
// registers it brought. (Through the flat selector 0x08 its code stays reachable, like all memory.)
void disarm_crayon() {
    if (drv::Driver* crayon = drv::by_name("crayon"); crayon && crayon->state == drv::State::Up)
        gdt::set_present(crayon->cs, false);
}

void suite_crayon(Runner& r) {
    static const char* const kNames[] = {
        "crayon: 1 load 0x10 and write kernel memory (ring 0, ring 1, domains)",
        "crayon: 2 load another driver's data selector (ring 0, ring 1, domains)",
        "crayon: 3 far call into another driver's code (ring 0, ring 1, domains)",
        "crayon: 4 load the user data selector (ring 0, ring 1, domains)",
        "crayon: 5 CLI, STI (ring 0, ring 1, domains)",
        "crayon: 6 HLT (ring 0, ring 1, domains)",
        "crayon: 7 LGDT (ring 0, ring 1, domains)",
        "crayon: 8 MOV CR3 (ring 0, ring 1, domains)",
        "crayon: 9 IN/OUT on an undeclared port (ring 0, ring 1, domains)",
        "crayon: 10 write the GDT (ring 0, ring 1, domains)",
        "crayon: 11 call an export it did not import (ring 0, ring 1, domains)",
        "crayon: 12 call through another driver's own import gate (ring 0, ring 1, domains)",
    };
    static_assert(sizeof kNames / sizeof kNames[0] == kCrayonCaseCount);
    g_have_before = false;
    run_rows<0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11>(r, kNames);
    r.run("crayon: the checksummed set (kernel, drivers, GDT, IDT, TSS and I/O bitmap) unchanged after the matrix",
          checksummed_set_unchanged);
}

}  // namespace selftest
