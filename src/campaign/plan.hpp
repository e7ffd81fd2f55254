// The fault-injection campaign's plan (docs/reliability.md, "Driver fault injection"): injection
// number i of seed S is a pure function of (S, i) — which driver, which fault, which variant and
// which random numbers — so any single injection can be replayed alone (campaign_from=i
// campaign=1) and a run cut short by a crash or a hang resumes at the next index. Pure: the host
// tests pin the choices and the range of every parameter.
#pragma once
#include "src/lib/types.hpp"

namespace campaign {

enum class Fault : u8 {
    CodeBitFlip,     // one bit of the driver's code
    CodeByteFlip,    // one byte of its code set to another value
    DataBitFlip,     // one bit of its data, rodata or bss (the dead stacks left out)
    DataByteFlip,
    Pointer,         // a wild pointer read/write, or an import slot's selector corrupted
    Stack,           // return address, ESP or the stack itself corrupted inside a call
    ReadPastLimit,   // DS/ES-relative read just past (or far past) the data limit
    WritePastLimit,
    StackPastLimit,  // SS-relative read past the limit (#SS)
    JumpPastLimit,   // a near jump past the code limit
    BadSelector,     // load a selector that is not the driver's into DS/ES/FS/GS/SS
    DivideError,     // #DE: by zero, quotient overflow, INT_MIN / -1
    InvalidOpcode,   // #UD: ud2, lock nop, mov cs
    EndlessLoop,     // jmp $ with IF = 1 (the PIT watchdog)
    ForeignCode,     // far jmp/call into another driver's code selector at a random offset
    EndlessLoopIf0,  // cli; jmp $: only into ring-1 targets (the CLI is #GP there; in ring 0
                     // nothing could stop it: docs/reliability.md)
    Count,
};
inline constexpr u32 kFaults = u32(Fault::Count);
inline constexpr u32 kRing0Faults = u32(Fault::EndlessLoopIf0);  // the faults a ring-0 target gets
const char* fault_name(Fault f);  // e.g. "code-bitflip"

// Variants per fault (the plan picks one uniformly).
u32 variant_count(Fault f);

// A 32-bit mixer (every input bit affects every output bit) and a small generator on it.
constexpr u32 mix(u32 x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}
struct Rng {
    u32 state;
    u32 next() { return mix(state += 0x9e3779b9u); }
    u32 below(u32 n) { return n ? next() % n : 0; }  // modulo bias is < n / 2^32: irrelevant here
};

struct Plan {
    u32 index;
    u32 target;    // index into the campaign's list of target drivers
    Fault fault;
    u32 variant;
    u32 r[4];      // raw random numbers; the kernel maps them onto the driver (offsets, bits, ...)
};
// ring1_targets: bit t set when target t runs in ring 1 (it can also get EndlessLoopIf0). A ring-0
// target's plans are the same whatever the mask.
Plan plan(u32 seed, u32 index, u32 targets, u32 ring1_targets = 0);

// Machine code for the faults that run inside a call: written over the first bytes of an export
// the workload calls. Encodings from [intel/vol2] (opcode map, appendix A).
struct Stub {
    u8 bytes[16];
    u32 len;
};

enum class Sreg : u8 { Es = 0, Cs = 1, Ss = 2, Ds = 3, Fs = 4, Gs = 5 };

// What the stub builder needs to know about the target driver and the machine.
struct StubContext {
    u32 code_size;       // CS limit + 1
    u32 data_limit;      // DS limit
    u32 stack_bytes;     // the stack area [0, stack_bytes) at the bottom of DS
    u16 foreign_cs;      // another driver's code selector
    u32 foreign_code_size;
    u16 bad_selector;    // the selector a BadSelector injection loads (the kernel picks it)
    bool bad_selector_foreign;  // it is another driver's: only read through it (see .cpp)
};

// The stub for plan p, or len 0 when the fault is not a stub (flips, slot corruption).
Stub build_stub(const Plan& p, const StubContext& c);

// Which kind of selector a BadSelector plan loads (the kernel maps it to a live selector).
enum class BadSel : u8 { KernelData, KernelCode, UserData, Null, Free, NotPresent, Gate, Tss, Ldt, ForeignData, ForeignCode, Count };
BadSel bad_selector_kind(const Plan& p);
const char* bad_selector_name(BadSel k);

// Tiny encoders, each pinned by a host test against the manual's bytes.
struct Asm {
    Stub s{};
    Asm& byte(u8 b);
    Asm& imm32(u32 v);
    Asm& mov_eax(u32 v) { return byte(0xB8).imm32(v); }            // B8 id
    Asm& mov_ecx(u32 v) { return byte(0xB9).imm32(v); }            // B9 id
    Asm& mov_edx(u32 v) { return byte(0xBA).imm32(v); }            // BA id
    Asm& mov_esp(u32 v) { return byte(0xBC).imm32(v); }            // BC id
    Asm& mov_sreg_ax(Sreg r) { return byte(0x8E).byte(u8(0xC0 | (u8(r) << 3))); }  // 8E /r, mod=11 rm=eax
    Asm& prefix(Sreg r);                                          // 26 2E 36 3E 64 65
    Asm& load_eax(u32 disp) { return byte(0xA1).imm32(disp); }     // A1 moffs32
    Asm& store_eax(u32 disp) { return byte(0xA3).imm32(disp); }    // A3 moffs32
    Asm& jmp_eax() { return byte(0xFF).byte(0xE0); }               // FF /4, rm=eax
    Asm& jmp_self() { return byte(0xEB).byte(0xFE); }              // EB cb, -2
    Asm& ret() { return byte(0xC3); }
    Asm& far_jmp(u16 sel, u32 off) { return byte(0xEA).imm32(off).byte(u8(sel)).byte(u8(sel >> 8)); }
    Asm& far_call(u16 sel, u32 off) { return byte(0x9A).imm32(off).byte(u8(sel)).byte(u8(sel >> 8)); }
    Stub done() const { return s; }
};

}  // namespace campaign
