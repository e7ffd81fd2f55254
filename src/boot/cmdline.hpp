// The kernel command line (docs/cmdline.md). Pure: parsing never prints; the kernel prints the
// diagnostics. Table-driven: a new option is one entry in kOptions (cmdline.cpp).
#pragma once
#include "drivers/lib/abi.hpp"
#include "src/lib/str.hpp"

enum class ConsoleSel : u8 { Both, Serial, Vga };
// How user programs enter the kernel (docs/syscalls.md): auto picks SYSENTER where CPUID says it
// really works, else call gates.
enum class SyscallSel : u8 { Auto, Sysenter, Gate, Int };
enum class Crash : u8 { None, Panic, DoubleFault, Triple, Hang, GpFault };

// drvring=0|1|domains (every driver) and drvring=<driver>:0|1|domains (one driver; several
// allowed): the isolation mode to use instead of what the driver's image asks for (docs/drivers.md).
struct RingOverride {
    Str driver;  // points into the command line
    drvabi::Mode mode;
};

struct Options {
    ConsoleSel console = ConsoleSel::Both;  // console=serial|vga|both
    bool selftest = false;                  // selftest
    bool magic_break = false;               // break: xchg bx,bx after the GDT listing (Bochs magic breakpoint)
    bool break_small = false;               // break=small: the same, with a small server loaded and waiting
    bool dump_gdt = false;                  // dump=gdt[,...]
    bool dump_memmap = false;               // dump=memmap
    bool dump_drivers = false;              // dump=drivers
    Crash crash = Crash::None;              // crash=panic|df|gp|triple|hang
    bool poweroff = true;                   // halt (or halt=1): stay halted at the end instead
    SyscallSel syscall = SyscallSel::Auto;  // syscall=auto|sysenter|gate|int
    bool bench = false;                     // bench: run the benchmark, then power off
    bool bench_pit = false;                 // bench=pit: time with the PIT even where a TSC exists
    bool bench_trace = false;               // bench=trace: each case once more between magic breakpoints
    Str autorun;                            // autorun=cmd;cmd;... : the rest of the line, for the shell
    // The driver fault-injection campaign (docs/reliability.md): campaign=N injections, then power off.
    u32 campaign = 0;                       // campaign=N (0: off)
    u32 seed = 1;                           // seed=S: the campaign's plan is a function of (seed, index)
    u32 campaign_from = 0;                  // campaign_from=K: the first injection index (to resume or replay)
    u32 campaign_check = 1024;              // campaign_check=M: the checksummed set every M injections (>= 1)
    bool campaign_trace = false;            // campaign_trace: one serial line per injection
    bool drvring_all = false;               // drvring=M given: every driver without its own override
    drvabi::Mode drvring = drvabi::kRing0;  // ... uses M
    static constexpr u32 kMaxRingOverrides = 8;
    RingOverride drvring_for[kMaxRingOverrides] = {};  // drvring=<driver>:M, in order; a later one for the
    u32 drvring_count = 0;                             // same driver replaces the earlier one
};

// The mode options give `driver`: its own override, else drvring=M, else nullptr (the image's).
const drvabi::Mode* ring_override(const Options& o, Str driver);
const char* mode_option_name(drvabi::Mode m);  // "0", "1", "domains"

// What went wrong with one word of the line. `word` points into the caller's command line.
struct CmdlineDiagnostics {
    static constexpr u32 kMax = 8;
    struct Item {
        Str word;
        const char* reason;  // a string literal, e.g. "unknown option"
    };
    Item items[kMax];
    u32 count = 0;
    u32 dropped = 0;  // diagnostics beyond kMax: counted, not listed
    void add(Str word, const char* reason) {
        if (count < kMax) items[count++] = {word, reason};
        else dropped++;
    }
};

// Parses `text` (GRUB's command line: the kernel's path, then options; nullptr is an empty line)
// into `out`, which keeps its previous value for every option the line does not set or gets
// wrong. Words are separated by spaces or tabs; `key` or `key=value`; double quotes protect spaces.
// A flag (selftest, break, halt) also takes `=1` (on) or `=0` (off).
void parse_cmdline(const char* text, Options& out, CmdlineDiagnostics& diags);

// The option spellings, for the boot banner and crash reports: "serial", "df", ...
const char* console_name(ConsoleSel c);
const char* crash_name(Crash c);  // "none" for Crash::None

// Writes the effective options as a command line that would reproduce them, every option
// included but `dump=` (left out when nothing is dumped), e.g.
// "console=both selftest=1 break=0 dump=gdt,memmap crash=none halt=0". Always
// NUL-terminates when cap > 0; returns false when it had to cut the text short.
bool describe_options(const Options& o, char* buf, usize cap);
