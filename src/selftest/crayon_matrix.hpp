// The crayon matrix (issue 11, point 4): what a driver can do that its own selectors do not stop,
// one row per case, one column per mode, each checked in Bochs and QEMU
// (src/selftest/crayon_cases.cpp): each case succeeds or faults as its column says, and the test
// checks the evidence either way. Pure: host-tested.
#pragma once
#include "drivers/lib/abi.hpp"

namespace selftest {

enum CrayonKind : u32 {  // = the kinds of drivers/crayon/crayon.cpp
    kFlatWrite = 1,
    kForeignData = 2,
    kForeignCall = 3,
    kUserData = 4,
    kCliSti = 5,
    kHlt = 6,
    kLgdt = 7,
    kMovCr3 = 8,
    kUndeclaredPort = 9,
    kGdtWrite = 10,
    kUnimportedExport = 11,
    kForeignImportGate = 12,
};

enum class Expect : u8 { Succeeds, Faults };

struct CrayonCase {
    CrayonKind kind;
    const char* name;
    Expect ring0, ring1, domains;  // indexed by drvabi::Mode through expect()
    const char* why;               // why ring 1 (or only domains) stops it
};

inline constexpr CrayonCase kCrayonCases[] = {
    {kFlatWrite, "load 0x10 and write kernel memory", Expect::Succeeds, Expect::Faults, Expect::Faults,
     "0x10 has DPL 0: loading it at CPL 1 is #GP"},
    {kForeignData, "load another driver's data selector", Expect::Succeeds, Expect::Succeeds, Expect::Faults,
     "DPL 1 like its own: only a domain hides it (not present: #NP)"},
    {kForeignCall, "far call into another driver's code selector", Expect::Succeeds, Expect::Succeeds, Expect::Faults,
     "same privilege: only a domain hides it (#NP)"},
    {kUserData, "load the user data selector (DPL 3)", Expect::Succeeds, Expect::Succeeds, Expect::Faults,
     "DPL 3 is loadable at CPL 1: only a domain hides it (#NP)"},
    {kCliSti, "CLI, then STI", Expect::Succeeds, Expect::Faults, Expect::Faults, "CPL 1 > IOPL 0: #GP"},
    {kHlt, "HLT (IF = 1: an IRQ wakes it)", Expect::Succeeds, Expect::Faults, Expect::Faults, "privileged: #GP at CPL > 0"},
    {kLgdt, "LGDT (the same GDTR back)", Expect::Succeeds, Expect::Faults, Expect::Faults, "privileged: #GP at CPL > 0"},
    {kMovCr3, "MOV CR3 (the same value back)", Expect::Succeeds, Expect::Faults, Expect::Faults, "privileged: #GP at CPL > 0"},
    {kUndeclaredPort, "IN/OUT on a port it did not declare (PIC mask 0x21)", Expect::Succeeds, Expect::Faults,
     Expect::Faults, "CPL 1 > IOPL 0 and the port's bit is set in the TSS I/O bitmap: #GP"},
    {kGdtWrite, "write the GDT (a free slot, through 0x10)", Expect::Succeeds, Expect::Faults, Expect::Faults,
     "needs 0x10 (DPL 0): #GP; no DPL-1 descriptor covers the GDT"},
    {kUnimportedExport, "call an export it did not import (null.echo's public gate)", Expect::Succeeds,
     Expect::Faults, Expect::Faults,
     "public gates have DPL 0: #GP at CPL 1; a ring-1 driver's imports go through DPL-1 gates of its own"},
    {kForeignImportGate, "call through another driver's own import gate (null's for faulty.echo)", Expect::Succeeds,
     Expect::Succeeds, Expect::Faults, "a DPL-1 gate like its own: only a domain hides it (#NP)"},
};
inline constexpr u32 kCrayonCaseCount = sizeof kCrayonCases / sizeof kCrayonCases[0];

constexpr Expect expect(const CrayonCase& c, drvabi::Mode m) {
    return m == drvabi::kRing0 ? c.ring0 : m == drvabi::kRing1 ? c.ring1 : c.domains;
}

// Which columns the kernel can run: all three (GDT domains: src/drv/domains.hpp).
constexpr bool column_built(drvabi::Mode) { return true; }

// The matrix's shape: ring 0 stops nothing, domains stop everything, and ring 1 stops exactly
// what needs ring-0 privilege; each column at least as strong as the one before.
constexpr bool matrix_consistent() {
    for (const CrayonCase& c : kCrayonCases) {
        if (c.ring0 != Expect::Succeeds || c.domains != Expect::Faults) return false;
        if (c.ring0 == Expect::Faults && c.ring1 == Expect::Succeeds) return false;
    }
    for (u32 i = 0; i < kCrayonCaseCount; i++)
        if (kCrayonCases[i].kind != i + 1) return false;  // kind = row + 1: the driver's switch
    return true;
}
static_assert(matrix_consistent());

}  // namespace selftest
