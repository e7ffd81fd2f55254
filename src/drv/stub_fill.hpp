// Making a driver export's entry stub and thunk (docs/drivers.md, "Gates and stubs"): pure code,
// host-tested (test/unit/test_stub_fill.cpp). The template is src/drv/stub_template.inc; the
// kernel's use of this is src/drv/stubs.cpp.
#pragma once
#include "src/lib/types.hpp"

namespace drv {

inline constexpr u32 kStubBytes = 256;  // STUB_BYTES in stub_template.inc (gh_stub_slot_bytes, checked)

// The templates' placeholders (PH_* in stub_template.inc, PH1_* in stub_template1.inc): each
// says which value goes there. One below 0x10000 is a 16-bit field, the others 32-bit.
enum : u32 {
    kPhId = 0x7A000001,      // export id; the ticks half of the dword stays 0
    kPhStacks = 0x7A000002,  // &gh_driver_stacks[driver]
    kPhLimit = 0x7A000003,   // the driver's stack slots * sizeof(CallRecord)
    kPhDs = 0x7A000004,      // &DriverRt.ds
    kPhThunk = 0x7A000005,   // code offset of the export's thunk
    kPhCs = 0x7A06,          // the driver's code selector (a 16-bit field)
    kPh1Id = 0x7B000001, kPh1Stacks = 0x7B000002, kPh1Limit = 0x7B000003, kPh1Ds = 0x7B000004,
    kPh1Thunk = 0x7B000005,
    kPh1Cs = 0x7B000006,     // CS | 1, a dword pushed for the outward RETF
    kPh1Ports = 0x7B000007,  // whose I/O ports the callee runs with
    kPh1StacksSs = 0x7B000008,  // &gh_driver_stacks[driver][0].ss
    kPhdGdtr = 0x7B000009,   // a domain's stub: the callee's GDT image (src/drv/domains.hpp)
};

struct StubPatch {
    u32 offset, placeholder;
};
struct StubValue {
    u32 placeholder, value;
};

// Copy `bytes` of the template to `out` and write, at each patch, the value its placeholder
// names. False (and `out` unusable) when the template is larger than a stub slot, a patch lies
// outside it, the bytes at a patch are not the placeholder it names (the table and the template
// disagree), or a placeholder has no value.
bool fill_stub(u8* out, const u8* tmpl, u32 bytes, const StubPatch* patches, u32 count, const StubValue* values,
               u32 nvalues);

// The thunk in the driver's code for one export: `call rel32 code` then `jmp far kcs:back`
// ([intel/vol2] CALL E8 cd, JMP EA cp); a ring-1 driver's ends in `call far gate:0` (9A cp)
// instead, through the DPL-1 gate back into ring 0.
inline constexpr u32 kThunkBytes = 12;
constexpr void encode_thunk(u8* out, u32 thunk_offset, u32 code_offset, u16 kernel_cs, u32 back) {
    u32 rel = code_offset - (thunk_offset + 5);
    out[0] = 0xE8;
    for (u32 i = 0; i < 4; i++) out[1 + i] = u8(rel >> (8 * i));
    out[5] = 0xEA;
    for (u32 i = 0; i < 4; i++) out[6 + i] = u8(back >> (8 * i));
    out[10] = u8(kernel_cs);
    out[11] = u8(kernel_cs >> 8);
}

constexpr void encode_thunk1(u8* out, u32 thunk_offset, u32 code_offset, u16 return_gate) {
    encode_thunk(out, thunk_offset, code_offset, return_gate, 0);
    out[5] = 0x9A;
}

// Where an export's thunk goes: after the driver's code, 16-byte aligned; thunk k of n.
constexpr u32 thunk_base(u32 code_size) { return (code_size + 15) & ~15u; }
constexpr u32 thunk_offset(u32 code_size, u32 k) { return thunk_base(code_size) + k * kThunkBytes; }
// The code segment's size: the code and n thunks.
constexpr u32 code_extent(u32 code_size, u32 n) { return thunk_offset(code_size, n); }

// The refusal written over a stub's first bytes while its driver is down: `mov eax, imm32; retf`.
inline constexpr u32 kRefuseBytes = 6;
constexpr void encode_refuse(u8* out, u32 result) {
    out[0] = 0xB8;
    for (u32 i = 0; i < 4; i++) out[1 + i] = u8(result >> (8 * i));
    out[5] = 0xCB;
}

namespace stub_checks {
constexpr bool thunk_ok() {
    u8 b[kThunkBytes] = {};
    encode_thunk(b, 0x100, 0x20, 0x08, 0xC0123456);
    // call 0x20 from 0x100: rel = 0x20 - 0x105 = 0xFFFFFF1B
    return b[0] == 0xE8 && b[1] == 0x1B && b[2] == 0xFF && b[3] == 0xFF && b[4] == 0xFF && b[5] == 0xEA &&
           b[6] == 0x56 && b[7] == 0x34 && b[8] == 0x12 && b[9] == 0xC0 && b[10] == 0x08 && b[11] == 0x00;
}
static_assert(thunk_ok());
constexpr bool thunk1_ok() {
    u8 b[kThunkBytes] = {};
    encode_thunk1(b, 0x100, 0x20, 0x1A9);
    return b[0] == 0xE8 && b[5] == 0x9A && b[6] == 0 && b[9] == 0 && b[10] == 0xA9 && b[11] == 0x01;
}
static_assert(thunk1_ok());
static_assert(thunk_base(0x1234) == 0x1240 && thunk_base(0x1240) == 0x1240);
static_assert(code_extent(0x100, 3) == 0x100 + 36);
}  // namespace stub_checks

}  // namespace drv
