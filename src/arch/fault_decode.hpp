// Exception facts and error-code decoding ([intel/vol3] §6.3.1 table 6-1, §6.13 error codes,
// §4.7 page-fault error code). Pure: shared by the trap reporter and the host tests.
#pragma once
#include "src/lib/types.hpp"

const char* exception_mnemonic(u32 vector);  // "#GP"; "reserved" for 15, 22-27, 31; "INT" for >= 32
const char* exception_name(u32 vector);      // "general protection"; "Intel reserved"
bool exception_has_error_code(u32 vector);   // the CPU pushes one (8, 10-14, 17, 21, 29, 30)
bool exception_error_is_selector(u32 vector);  // #TS, #NP, #SS, #GP: a selector-style error code
bool exception_error_always_zero(u32 vector);  // #DF and #AC push a code that is always 0

enum class SelectorTable : u8 { Gdt, Idt, Ldt };

struct SelectorError {
    bool ext;             // bit 0: an event external to the program caused it
    SelectorTable table;  // bit 1 IDT, else bit 2 TI: LDT or GDT
    u16 index;            // bits 3..15
    u16 selector;         // index * 8 with TI (GDT/LDT only), RPL 0
    bool null;            // error code 0 or 1 (EXT only): no selector is named (limit, type or null checks)
};
SelectorError decode_selector_error(u32 error);

struct PageFaultError {
    bool present;      // P: protection violation (else not present)
    bool write;        // W/R
    bool user;         // U/S: CPL 3
    bool reserved;     // RSVD bit set in a paging entry
    bool instruction;  // I/D: instruction fetch
};
PageFaultError decode_page_fault_error(u32 error);
// A short text such as "protection write user" or "not present fetch kernel, reserved bit set"
// into buf (always NUL-terminated when cap > 0; 48 bytes hold the longest). Returns its length.
usize page_fault_text(u32 error, char* buf, usize cap);

// The segment register an instruction's memory operand uses when it carries an override prefix.
// #GP(0)/#SS(0) name no selector, so the reporter uses this to say which segment was violated.
enum class SegmentOverride : u8 { None, Es, Cs, Ss, Ds, Fs, Gs };
SegmentOverride decode_segment_prefix(const u8* insn, usize len);
const char* segment_override_name(SegmentOverride s);  // "fs", or "none (default segment)"

// A port I/O instruction (IN, OUT, INS, OUTS; [intel/vol2]): at CPL > IOPL it faults #GP(0) when
// the TSS I/O bitmap denies any of its ports ([intel/vol3] §20.5.2), so the reporter names it.
struct PortIo {
    bool is_io;
    bool out;       // OUT/OUTS, else IN/INS
    bool string;    // INS/OUTS
    bool port_imm;  // the port is the imm8 (else DX)
    u8 width;       // 1, 2 or 4 bytes
    u8 imm;         // the imm8 port
    const char* mnemonic;  // "inb", "outl", "insw", ...
};
PortIo decode_port_io(const u8* insn, usize len);
