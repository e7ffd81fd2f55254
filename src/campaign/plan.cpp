#include "src/campaign/plan.hpp"

namespace campaign {
namespace {
const char* const kFaultNames[] = {
    "code-bitflip", "code-byteflip", "data-bitflip", "data-byteflip", "pointer", "stack",
    "read-past-limit", "write-past-limit", "stack-past-limit", "jump-past-limit", "bad-selector",
    "divide-error", "invalid-opcode", "loop-if1", "foreign-code", "loop-if0",
};
static_assert(sizeof(kFaultNames) / sizeof(kFaultNames[0]) == kFaults);

const u8 kVariants[] = {1, 1, 1, 1, 4, 4, 4, 3, 3, 3, 5, 3, 3, 2, 2, 1};
static_assert(sizeof(kVariants) == kFaults);

const char* const kBadSelNames[] = {"kernel-data", "kernel-code", "user-data", "null", "free", "not-present",
                                    "gate", "tss", "ldt", "foreign-data", "foreign-code"};
static_assert(sizeof(kBadSelNames) / sizeof(kBadSelNames[0]) == u32(BadSel::Count));

// An offset past a segment whose limit is `limit`: just past it, straddling it, or anywhere above.
u32 past(u32 limit, u32 variant, u32 r) {
    switch (variant) {
    case 0: return limit + 1 + r % 4096;                       // just past (a dword there is all outside)
    case 1: return limit - 2 + r % 3;                          // a dword straddling the limit
    default: return limit + 1 + r % (0xFFFFFFFCu - limit);     // anywhere above, up to 4 GiB - 4
    }
}
}  // namespace

const char* fault_name(Fault f) { return u32(f) < kFaults ? kFaultNames[u32(f)] : "?"; }
u32 variant_count(Fault f) { return u32(f) < kFaults ? kVariants[u32(f)] : 0; }
BadSel bad_selector_kind(const Plan& p) { return BadSel(p.r[1] % u32(BadSel::Count)); }
const char* bad_selector_name(BadSel k) { return u32(k) < u32(BadSel::Count) ? kBadSelNames[u32(k)] : "?"; }

Plan plan(u32 seed, u32 index, u32 targets, u32 ring1_targets) {
    Rng g{mix(seed ^ mix(index ^ 0x632be5abu))};
    Plan p{};
    p.index = index;
    p.target = g.below(targets);
    p.fault = Fault(g.below(p.target < 32 && (ring1_targets >> p.target & 1) ? kFaults : kRing0Faults));
    p.variant = g.below(variant_count(p.fault));
    for (u32& r : p.r) r = g.next();
    return p;
}

Asm& Asm::byte(u8 b) {
    if (s.len < sizeof s.bytes) s.bytes[s.len++] = b;
    return *this;
}
Asm& Asm::imm32(u32 v) { return byte(u8(v)).byte(u8(v >> 8)).byte(u8(v >> 16)).byte(u8(v >> 24)); }
Asm& Asm::prefix(Sreg r) {
    const u8 prefixes[] = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};  // ES CS SS DS FS GS
    return byte(prefixes[u8(r)]);
}

Stub build_stub(const Plan& p, const StubContext& c) {
    Asm a;
    const u32 r = p.r[2];
    switch (p.fault) {
    case Fault::Pointer:
        if (p.variant == 0) return a.load_eax(r).ret().done();                          // read anywhere
        if (p.variant == 1) return a.store_eax(r % (c.data_limit - 2)).ret().done();     // write inside its own data
        if (p.variant == 2) return a.store_eax(r).ret().done();                         // write anywhere
        return a.done();  // variant 3: an import slot's selector (a data patch, not a stub)
    case Fault::Stack:
        // The return address becomes a random code offset; ESP a random data offset; the stack
        // runs off the bottom (#SS that cannot be delivered: #DF); or ret pops the wrong slot.
        if (p.variant == 0) return a.byte(0xC7).byte(0x04).byte(0x24).imm32(r % (2 * c.code_size)).ret().done();
        if (p.variant == 1) return a.mov_esp(r % (c.data_limit + 1 + 4096)).ret().done();
        if (p.variant == 2) return a.mov_esp(8).byte(0x6A).byte(0).byte(0x6A).byte(0).byte(0x6A).byte(0).byte(0x6A).byte(0).done();
        return a.byte(0x83).byte(0xC4).byte(u8(4 * (1 + r % 15))).ret().done();        // add esp, imm8
    case Fault::ReadPastLimit:
        if (p.variant == 3) return a.prefix(Sreg::Es).load_eax(past(c.data_limit, 0, r)).ret().done();
        return a.load_eax(past(c.data_limit, p.variant, r)).ret().done();
    case Fault::WritePastLimit: return a.store_eax(past(c.data_limit, p.variant, r)).ret().done();
    case Fault::StackPastLimit: return a.prefix(Sreg::Ss).load_eax(past(c.data_limit, p.variant, r)).ret().done();
    case Fault::JumpPastLimit: {
        u32 limit = c.code_size - 1;
        u32 target = p.variant == 0 ? c.code_size : past(limit, p.variant == 1 ? 0 : 2, r);
        return a.mov_eax(target).jmp_eax().done();
    }
    case Fault::BadSelector: {
        const Sreg regs[] = {Sreg::Es, Sreg::Ss, Sreg::Ds, Sreg::Fs, Sreg::Gs};
        Sreg sr = regs[p.variant % 5];
        // Another driver's selector is only read through: ring 0 can write through any selector
        // it loads (DESIGN, "What ring 0 cannot enforce"), so that is not a fault to contain.
        if (c.bad_selector_foreign && sr == Sreg::Ss) sr = Sreg::Fs;
        a.mov_eax(c.bad_selector).mov_sreg_ax(sr);
        if (sr != Sreg::Ss) a.prefix(sr).load_eax(r % 0x1000);
        return a.ret().done();
    }
    case Fault::DivideError:
        if (p.variant == 0) return a.byte(0x31).byte(0xC9).byte(0xF7).byte(0xF1).done();  // xor ecx,ecx; div ecx
        if (p.variant == 1)  // edx:eax = 2^32, / 1: the quotient does not fit
            return a.mov_edx(1).byte(0x31).byte(0xC0).mov_ecx(1).byte(0xF7).byte(0xF1).done();
        return a.mov_eax(0x80000000u).byte(0x99).mov_ecx(0xFFFFFFFFu).byte(0xF7).byte(0xF9).done();  // cdq; idiv ecx
    case Fault::InvalidOpcode:
        if (p.variant == 0) return a.byte(0x0F).byte(0x0B).done();  // ud2
        if (p.variant == 1) return a.byte(0xF0).byte(0x90).done();  // lock nop: LOCK on a non-memory op
        return a.mov_sreg_ax(Sreg::Cs).done();                      // mov cs, ax
    case Fault::EndlessLoop:
        if (p.variant == 0) return a.jmp_self().done();
        return a.byte(0xF3).byte(0x90).byte(0xEB).byte(0xFC).done();  // pause; jmp back to the pause
    case Fault::EndlessLoopIf0: return a.byte(0xFA).jmp_self().done();  // cli; jmp $
    case Fault::ForeignCode: {
        u32 off = r % (c.foreign_code_size + 256);  // some past its limit: #GP on the far transfer
        return p.variant == 0 ? a.far_jmp(c.foreign_cs, off).done() : a.far_call(c.foreign_cs, off).done();
    }
    default: return a.done();  // flips: data patches, not stubs
    }
}

}  // namespace campaign
