#include "src/trap/report.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "src/arch/fault_decode.hpp"
#include "src/boot/ksyms.hpp"
#include "seg/guarded.hpp"
#include "src/console.hpp"
#include "src/drv/domains.hpp"
#include "src/trap/frame.hpp"

namespace {

void print_selector_error(u32 err) {
    SelectorError e = decode_selector_error(err);
    if (e.null) {
        kprintf("trap:   error code 0: no selector named (a limit, type or null-selector violation)\n");
        return;
    }
    const char* table = e.table == SelectorTable::Idt ? "IDT" : e.table == SelectorTable::Ldt ? "LDT" : "GDT";
    kprintf("trap:   error code 0x%04x: %s index %u%s", err & 0xFFFF, table, u32(e.index), e.ext ? " EXT" : "");
    if (e.table == SelectorTable::Gdt) {
        const char* who = gdt::owner(e.selector);
        kprintf(" selector 0x%04x owner=%s", u32(e.selector), who ? who : "free");
        // The fault came on a GDT domain's copy (kernel code runs on whichever is loaded): a
        // descriptor present in the kernel's table may be hidden there.
        if (const char* domain = drv::domain_loaded_now())
            kprintf(" (GDT domain of %s loaded: the entry is %s there)", domain,
                    drv::domain_view_now(e.index) >> 47 & 1 ? "present" : "not present");
    } else if (e.table == SelectorTable::Idt) {
        kprintf(" (vector %u)", u32(e.index));
    }
    kprintf("\n");
}

// #GP(0)/#SS(0) name no selector: say which segment register the faulting instruction used. The
// bytes are read through the faulting CS's base and only up to its limit.
void print_segment_of_instruction(u16 cs, u32 eip, u32 edx, u32 eflags) {
    desc::Decoded d = desc::decode(gdt::get(gdt::index_of(cs)));
    if (!d.s || eip > d.limit) return;
    u32 room = d.limit - eip + 1;
    // Guarded: a user program's code page may end right after the faulting instruction.
    u8 bytes[15];
    u32 n = room < 15 ? room : 15;
    while (n && guarded_copy(bytes, reinterpret_cast<const void*>(uptr(d.base + eip)), n) != 0) n--;
    SegmentOverride s = decode_segment_prefix(bytes, n);
    PortIo io = decode_port_io(bytes, n);
    if (!io.is_io) {
        kprintf("trap:   instruction segment: %s\n", segment_override_name(s));
        return;
    }
    u32 port = io.port_imm ? io.imm : edx & 0xFFFF;
    // IOPL is 0 everywhere, so above ring 0 the TSS I/O bitmap decides (gdt/iopb.hpp).
    kprintf("trap:   port I/O: %s %s port 0x%04x: CPL %u > IOPL %u, and the TSS I/O bitmap denies it%s\n", io.mnemonic,
            io.out ? "to" : "from", port, u32(cs & 3), (eflags >> 12) & 3, io.string ? " (or its memory operand is out of bounds)" : "");
}

}  // namespace

void trap_report(const TrapFrame& f, u32 resume_eip) {
    if (console::muted()) return;  // decoding the instruction and its selector for nobody (the campaign)
    u32 v = f.vector;
    kprintf("trap: %s %s (vector %u) at %04x:%08x", exception_mnemonic(v), exception_name(v), v,
            f.cs & 0xFFFF, f.eip);
    if ((f.cs & 0xFFFF) == gdt::kKernelCS) ksyms::print_location(f.eip);  // drivers: see drv::contain
    kprintf("\n");
    if (exception_has_error_code(v)) {
        if (exception_error_is_selector(v)) print_selector_error(f.error);
        else if (v == 14) kprintf("trap:   page fault error 0x%x\n", f.error);
        else kprintf("trap:   error code 0x%x\n", f.error);
        if ((v == 12 || v == 13) && f.error == 0) print_segment_of_instruction(u16(f.cs), f.eip, f.edx, f.eflags);
    }
    kprintf("trap:   eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x ebp=%08x\n", f.eax, f.ebx,
            f.ecx, f.edx, f.esi, f.edi, f.ebp);
    kprintf("trap:   ds=%04x es=%04x fs=%04x gs=%04x eflags=%08x\n", f.ds & 0xFFFF, f.es & 0xFFFF,
            f.fs & 0xFFFF, f.gs & 0xFFFF, f.eflags);
    if (resume_eip) kprintf("trap:   fixed up: resuming at %08x\n", resume_eip);
}
