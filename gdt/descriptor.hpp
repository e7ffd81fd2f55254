// Descriptor encoders and decoder ([intel/vol3] §3.4.5 segment descriptors, §5.8.3 call gates,
// §6.11 IDT descriptors, §7.2.2 TSS descriptor, §7.2.5 task gates).
// Pure constexpr: pinned by static_asserts here and by host tests in test/unit/test_descriptor.cpp.
#pragma once
#include "src/lib/types.hpp"

namespace desc {

// Bit positions inside the 64-bit descriptor.
inline constexpr unsigned kTypeShift = 40;  // 4-bit type
inline constexpr unsigned kSShift = 44;     // 1 = code/data, 0 = system
inline constexpr unsigned kDplShift = 45;   // 2 bits
inline constexpr unsigned kPShift = 47;     // present
inline constexpr unsigned kAvlShift = 52;
inline constexpr unsigned kDbShift = 54;    // D/B: 32-bit default operand size / stack
inline constexpr unsigned kGShift = 55;     // granularity: limit counted in 4 KiB units

// Code/data type nibble (S = 1), [intel/vol3] table 3-1.
enum SegBits : u8 {
    kAccessed = 1,
    kWritable = 2,   // data
    kReadable = 2,   // code
    kExpandDown = 4, // data
    kConforming = 4, // code
    kCode = 8,
};

// System type nibble (S = 0), [intel/vol3] table 3-2 (32-bit forms).
enum class SysType : u8 {
    Ldt = 0x2,
    TaskGate = 0x5,
    Tss32 = 0x9,
    Tss32Busy = 0xB,
    CallGate32 = 0xC,
    IntGate32 = 0xE,
    TrapGate32 = 0xF,
};

enum class Kind : u8 { CodeRX, CodeX, DataRW, DataRO };

constexpr u8 type_bits(Kind k) {
    switch (k) {
    case Kind::CodeRX: return kCode | kReadable;
    case Kind::CodeX: return kCode;
    case Kind::DataRW: return kWritable;
    case Kind::DataRO: return 0;
    }
    return 0;
}

// Raw 20-bit limit and G flag for a byte limit. Above 1 MiB the limit is kept in pages and the
// low 12 bits read as ones ([intel/vol3] §3.4.5); we round down so a descriptor never grants more
// than asked.
struct RawLimit { u32 raw; bool g; };
constexpr RawLimit raw_limit(u32 byte_limit) {
    if (byte_limit <= 0xFFFFF) return {byte_limit, false};
    u64 pages = (u64(byte_limit) + 1) >> 12;
    return {u32(pages - 1), true};
}

constexpr u64 base_limit_bits(u32 base, RawLimit l) {
    return u64(l.raw & 0xFFFF) | (u64(base & 0xFFFFFF) << 16) | (u64((l.raw >> 16) & 0xF) << 48) |
           (u64(base >> 24) << 56) | (u64(l.g) << kGShift);
}

// A code or data segment. byte_limit is the last valid offset.
constexpr u64 segment(u32 base, u32 byte_limit, Kind kind, u8 dpl, bool big = true) {
    return base_limit_bits(base, raw_limit(byte_limit)) | (u64(type_bits(kind)) << kTypeShift) |
           (u64(1) << kSShift) | (u64(dpl & 3) << kDplShift) | (u64(1) << kPShift) |
           (u64(big) << kDbShift);
}

// A 32-bit TSS descriptor (byte granular; limit is at least 103).
constexpr u64 tss_descriptor(u32 base, u32 byte_limit, bool busy = false) {
    return base_limit_bits(base, RawLimit{byte_limit & 0xFFFFF, false}) |
           (u64(busy ? SysType::Tss32Busy : SysType::Tss32) << kTypeShift) | (u64(1) << kPShift);
}

// Gate layout shared by call, interrupt and trap gates: offset split around a selector.
constexpr u64 gate(SysType type, u16 selector, u32 offset, u8 dpl, u8 param_count = 0) {
    return u64(offset & 0xFFFF) | (u64(selector) << 16) | (u64(param_count & 0x1F) << 32) |
           (u64(type) << kTypeShift) | (u64(dpl & 3) << kDplShift) | (u64(1) << kPShift) |
           (u64(offset >> 16) << 48);
}

constexpr u64 call_gate(u16 selector, u32 offset, u8 dpl, u8 param_count = 0) {
    return gate(SysType::CallGate32, selector, offset, dpl, param_count);
}
constexpr u64 int_gate(u16 selector, u32 offset, u8 dpl) {
    return gate(SysType::IntGate32, selector, offset, dpl);
}
constexpr u64 trap_gate(u16 selector, u32 offset, u8 dpl) {
    return gate(SysType::TrapGate32, selector, offset, dpl);
}
constexpr u64 task_gate(u16 tss_selector, u8 dpl) {
    return gate(SysType::TaskGate, tss_selector, 0, dpl);
}

// Decoded view of any descriptor, for listings and for checking what the CPU holds.
struct Decoded {
    u32 base;
    u32 limit;      // byte limit, granularity applied
    u8 type;        // 4-bit type nibble
    bool s;         // code/data (true) or system (false)
    u8 dpl;
    bool present;
    bool db;
    bool g;
    u16 gate_selector;  // gates only
    u32 gate_offset;    // call/int/trap gates only
    u8 gate_params;
};

constexpr Decoded decode(u64 d) {
    Decoded r{};
    r.base = u32((d >> 16) & 0xFFFFFF) | u32(((d >> 56) & 0xFF) << 24);
    u32 raw = u32(d & 0xFFFF) | u32(((d >> 48) & 0xF) << 16);
    r.g = (d >> kGShift) & 1;
    r.limit = r.g ? ((raw << 12) | 0xFFF) : raw;
    r.type = u8((d >> kTypeShift) & 0xF);
    r.s = (d >> kSShift) & 1;
    r.dpl = u8((d >> kDplShift) & 3);
    r.present = (d >> kPShift) & 1;
    r.db = (d >> kDbShift) & 1;
    r.gate_selector = u16((d >> 16) & 0xFFFF);
    r.gate_offset = u32(d & 0xFFFF) | u32(((d >> 48) & 0xFFFF) << 16);
    r.gate_params = u8((d >> 32) & 0x1F);
    return r;
}

constexpr bool is_code(const Decoded& d) { return d.s && (d.type & kCode); }
constexpr bool is_data(const Decoded& d) { return d.s && !(d.type & kCode); }

// Short kind name used by the GDT listing (docs/serial.md) and the Bochs oracle.
constexpr const char* kind_name(const Decoded& d) {
    if (d.s) return (d.type & kCode) ? "code" : "data";
    switch (SysType(d.type)) {
    case SysType::Tss32: return "tss";
    case SysType::Tss32Busy: return "tss-busy";
    case SysType::CallGate32: return "callgate";
    case SysType::TaskGate: return "taskgate";
    case SysType::Ldt: return "ldt";
    default: return "system";
    }
}

// The CPU sets the accessed bit when it loads a code/data selector ([intel/vol3] §3.4.5.1) and
// the busy bit when it loads a TSS; comparisons of the live GDT with encoder output ignore both.
constexpr u64 without_cpu_bits(u64 d) {
    Decoded x = decode(d);
    if (x.s) return d & ~(u64(kAccessed) << kTypeShift);
    if (x.type == u8(SysType::Tss32Busy)) return d & ~(u64(2) << kTypeShift);
    return d;
}

static_assert(segment(0, 0xFFFFFFFF, Kind::CodeRX, 0) == 0x00CF9A000000FFFFull, "flat ring-0 code");
static_assert(segment(0, 0xFFFFFFFF, Kind::DataRW, 0) == 0x00CF92000000FFFFull, "flat ring-0 data");
static_assert(segment(0, 0xFFFFFFFF, Kind::CodeRX, 3) == 0x00CFFA000000FFFFull, "flat ring-3 code");
static_assert(segment(0, 0xFFFFFFFF, Kind::DataRW, 3) == 0x00CFF2000000FFFFull, "flat ring-3 data");
static_assert(segment(0x12345678, 0xFFF, Kind::DataRW, 0) == 0x1240923456780FFFull, "byte-granular data");
static_assert(decode(segment(0x00400000, 0x1FFFFF, Kind::CodeRX, 0)).limit == 0x1FFFFF, "page granular");
static_assert(decode(segment(0, 0x100000, Kind::DataRW, 0)).limit == 0x0FFFFF, "rounded down, never up");
static_assert(tss_descriptor(0x00105000, 103) == 0x0000891050000067ull, "TSS descriptor");
static_assert(call_gate(0x0008, 0x00101234, 3) == 0x0010EC0000081234ull, "DPL-3 call gate");
static_assert(int_gate(0x0008, 0x00101234, 0) == 0x00108E0000081234ull, "interrupt gate");
static_assert(task_gate(0x0030, 0) == 0x0000850000300000ull, "task gate");
static_assert(without_cpu_bits(0x00CF9B000000FFFFull) == 0x00CF9A000000FFFFull, "accessed ignored");

}  // namespace desc
