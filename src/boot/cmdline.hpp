// The kernel command line (docs/cmdline.md). Pure: parsing never prints; the kernel prints the
// diagnostics. Table-driven: a new option is one entry in kOptions (cmdline.cpp).
#pragma once
#include "src/lib/str.hpp"

enum class ConsoleSel : u8 { Both, Serial, Vga };
enum class Crash : u8 { None, Panic, DoubleFault, Triple, Hang, GpFault };

struct Options {
    ConsoleSel console = ConsoleSel::Both;  // console=serial|vga|both
    bool selftest = false;                  // selftest
    bool magic_break = false;               // break: xchg bx,bx after the GDT listing
    bool dump_gdt = false;                  // dump=gdt[,...]
    bool dump_memmap = false;               // dump=memmap
    bool dump_drivers = false;              // dump=drivers
    Crash crash = Crash::None;              // crash=panic|df|gp|triple|hang
    bool poweroff = true;                   // halt: stay halted at the end instead
};

struct CmdlineDiagnostics {
    static constexpr u32 kMax = 8;
    struct Item {
        Str word;
        const char* reason;
    };
    Item items[kMax];
    u32 count = 0;
    u32 dropped = 0;  // diagnostics beyond kMax
    void add(Str word, const char* reason) {
        if (count < kMax) items[count++] = {word, reason};
        else dropped++;
    }
};

// Parses `text` (GRUB's command line: the kernel's path, then options) into `out`.
void parse_cmdline(const char* text, Options& out, CmdlineDiagnostics& diags);
