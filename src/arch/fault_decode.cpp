#include "src/arch/fault_decode.hpp"

namespace {
struct ExceptionInfo {
    const char* mnemonic;
    const char* name;
};

const ExceptionInfo kExceptions[32] = {
    {"#DE", "divide error"},
    {"#DB", "debug"},
    {"NMI", "non-maskable interrupt"},
    {"#BP", "breakpoint"},
    {"#OF", "overflow"},
    {"#BR", "bound range exceeded"},
    {"#UD", "invalid opcode"},
    {"#NM", "device not available"},
    {"#DF", "double fault"},
    {"CSO", "coprocessor segment overrun"},
    {"#TS", "invalid TSS"},
    {"#NP", "segment not present"},
    {"#SS", "stack-segment fault"},
    {"#GP", "general protection"},
    {"#PF", "page fault"},
    {"reserved", "Intel reserved"},
    {"#MF", "x87 floating-point error"},
    {"#AC", "alignment check"},
    {"#MC", "machine check"},
    {"#XM", "SIMD floating-point exception"},
    {"#VE", "virtualization exception"},
    {"#CP", "control protection"},
    {"reserved", "Intel reserved"}, {"reserved", "Intel reserved"}, {"reserved", "Intel reserved"}, {"reserved", "Intel reserved"},
    {"reserved", "Intel reserved"}, {"reserved", "Intel reserved"},
    {"#HV", "hypervisor injection"},
    {"#VC", "VMM communication"},
    {"#SX", "security exception"},
    {"reserved", "Intel reserved"},
};
}  // namespace

const char* exception_mnemonic(u32 v) { return v < 32 ? kExceptions[v].mnemonic : "INT"; }
const char* exception_name(u32 v) { return v < 32 ? kExceptions[v].name : "not an exception (an IRQ or INT n)"; }

bool exception_has_error_code(u32 v) {
    switch (v) {
    case 8: case 10: case 11: case 12: case 13: case 14: case 17: case 21: case 29: case 30:
        return true;
    default:
        return false;
    }
}

// [intel/vol3] §6.13: #TS, #NP, #SS and #GP push a selector-style code. #DF's code is always 0,
// #AC's too ([intel/vol3] §6.15); #PF (§4.7) and #CP have their own formats.
bool exception_error_is_selector(u32 v) { return v >= 10 && v <= 13; }
bool exception_error_always_zero(u32 v) { return v == 8 || v == 17; }

SelectorError decode_selector_error(u32 error) {
    SelectorError e{};
    e.ext = error & 1;
    e.table = (error & 2) ? SelectorTable::Idt : (error & 4) ? SelectorTable::Ldt : SelectorTable::Gdt;
    e.index = u16((error >> 3) & 0x1FFF);
    e.selector = e.table == SelectorTable::Idt ? 0 : u16(error & 0xFFFC);
    // GDT index 0 names no selector whatever EXT says: a limit, type or null-selector check.
    // (IDT or LDT index 0 is a real entry.)
    e.null = (error & 0xFFFE) == 0;
    return e;
}

PageFaultError decode_page_fault_error(u32 error) {
    return {bool(error & 1), bool(error & 2), bool(error & 4), bool(error & 8), bool(error & 16)};
}

usize page_fault_text(u32 error, char* buf, usize cap) {
    PageFaultError e = decode_page_fault_error(error);
    const char* parts[] = {
        e.present ? "protection" : "not present",
        e.instruction ? " fetch" : e.write ? " write" : " read",
        e.user ? " user" : " kernel",
        e.reserved ? ", reserved bit set" : "",
    };
    usize len = 0;
    for (const char* p : parts)
        for (; *p; p++)
            if (len + 1 < cap) buf[len++] = *p;
    if (cap) buf[len] = '\0';
    return len;
}

SegmentOverride decode_segment_prefix(const u8* insn, usize len) {
    SegmentOverride seg = SegmentOverride::None;
    // Up to 15 bytes of prefixes ([intel/vol2] §2.1.1); the last segment override wins.
    for (usize i = 0; i < len && i < 15; i++) {
        switch (insn[i]) {
        case 0x26: seg = SegmentOverride::Es; break;
        case 0x2E: seg = SegmentOverride::Cs; break;
        case 0x36: seg = SegmentOverride::Ss; break;
        case 0x3E: seg = SegmentOverride::Ds; break;
        case 0x64: seg = SegmentOverride::Fs; break;
        case 0x65: seg = SegmentOverride::Gs; break;
        case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3: break;
        default: return seg;
        }
    }
    return seg;
}

PortIo decode_port_io(const u8* insn, usize len) {
    PortIo io{};
    bool size16 = false;
    usize i = 0;
    for (; i < len && i < 15; i++) {  // prefixes: operand size matters, the others do not here
        u8 b = insn[i];
        if (b == 0x66) size16 = true;
        else if (!(b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65 || b == 0x67 ||
                   b == 0xF0 || b == 0xF2 || b == 0xF3))
            break;
    }
    if (i >= len) return io;
    u8 op = insn[i];
    bool imm = op >= 0xE4 && op <= 0xE7, dx = op >= 0xEC && op <= 0xEF, str = op >= 0x6C && op <= 0x6F;
    if (!imm && !dx && !str) return io;
    if (imm && i + 1 >= len) return io;  // the imm8 is cut off
    io.is_io = true;
    io.string = str;
    io.port_imm = imm;
    io.imm = imm ? insn[i + 1] : 0;
    io.out = (op & 2) != 0;  // E6/E7, EE/EF, 6E/6F
    io.width = (op & 1) == 0 ? 1 : size16 ? 2 : 4;
    static const char* const kNames[2][2][3] = {
        {{"inb", "inw", "inl"}, {"outb", "outw", "outl"}}, {{"insb", "insw", "insl"}, {"outsb", "outsw", "outsl"}}};
    io.mnemonic = kNames[str][io.out][io.width == 1 ? 0 : io.width == 2 ? 1 : 2];
    return io;
}

const char* segment_override_name(SegmentOverride s) {
    switch (s) {
    case SegmentOverride::Es: return "es";
    case SegmentOverride::Cs: return "cs";
    case SegmentOverride::Ss: return "ss";
    case SegmentOverride::Ds: return "ds";
    case SegmentOverride::Fs: return "fs";
    case SegmentOverride::Gs: return "gs";
    case SegmentOverride::None: break;
    }
    return "none (the instruction's default segment: ds, or ss for esp/ebp)";
}
