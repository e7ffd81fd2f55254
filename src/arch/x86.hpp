// Every inline asm statement in the kernel lives here (xv6's x86.h style), each a one-instruction
// wrapper. Larger sequences that need fixed registers or fault fixups are in .asm files.
#pragma once
#include "src/lib/types.hpp"

namespace x86 {

inline void outb(u16 port, u8 v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
inline void outw(u16 port, u16 v) { asm volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
inline u8 inb(u16 port) {
    u8 v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline u16 inw(u16 port) {
    u16 v;
    asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
// A write to an unused port: ~1 µs delay for the 8259 on old boards.
inline void io_wait() { outb(0x80, 0); }

// n dwords at a time (rep movsl / rep stosl, on every 486): a driver reload copies and clears
// kilobytes per fault, thousands of times a second in the fault-injection campaign. cld first:
// the copy must not run backwards whatever state a fault left DF in.
inline void copy_dwords(void* dst, const void* src, u32 n) {
    asm volatile("cld; rep movsl" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}
inline void zero_dwords(void* dst, u32 n) {
    asm volatile("cld; rep stosl" : "+D"(dst), "+c"(n) : "a"(0) : "memory");
}
inline void cli() { asm volatile("cli" ::: "memory"); }
inline void sti() { asm volatile("sti" ::: "memory"); }
inline void hlt() { asm volatile("hlt" ::: "memory"); }
inline void sti_hlt() { asm volatile("sti; hlt" ::: "memory"); }  // no interrupt window between them
inline void ud2() { asm volatile("ud2"); }
inline void load_fs(u16 sel) { asm volatile("mov %0, %%fs" ::"r"(u32(sel)) : "memory"); }
// IRET with EFLAGS.NT set returns to the task in the TSS back link ([intel/vol3] §7.3).
inline void iret_to_back_link() { asm volatile("iret" ::: "memory"); }
inline void magic_break() { asm volatile("xchgw %%bx, %%bx" ::: "memory"); }  // Bochs magic breakpoint

inline u32 eflags() {
    u32 f;
    asm volatile("pushfl; popl %0" : "=r"(f));
    return f;
}
inline void set_eflags(u32 f) { asm volatile("pushl %0; popfl" ::"r"(f) : "memory", "cc"); }

struct [[gnu::packed]] TablePtr {
    u16 limit;
    u32 base;
};
static_assert(sizeof(TablePtr) == 6);

inline void lgdt(const TablePtr& p) { asm volatile("lgdt %0" ::"m"(p) : "memory"); }
inline void lidt(const TablePtr& p) { asm volatile("lidt %0" ::"m"(p) : "memory"); }
inline TablePtr sgdt() {
    TablePtr p;
    asm volatile("sgdt %0" : "=m"(p));
    return p;
}
inline TablePtr sidt() {
    TablePtr p;
    asm volatile("sidt %0" : "=m"(p));
    return p;
}
inline void ltr(u16 sel) { asm volatile("ltr %0" ::"r"(sel)); }
inline u16 str() {
    u16 s;
    asm volatile("str %0" : "=r"(s));
    return s;
}

inline u16 cs() { u16 s; asm volatile("mov %%cs, %0" : "=r"(s)); return s; }
inline u16 ds() { u16 s; asm volatile("mov %%ds, %0" : "=r"(s)); return s; }
inline u16 ss() { u16 s; asm volatile("mov %%ss, %0" : "=r"(s)); return s; }
inline u16 es() { u16 s; asm volatile("mov %%es, %0" : "=r"(s)); return s; }
inline u32 cr0() { u32 v; asm volatile("mov %%cr0, %0" : "=r"(v)); return v; }
inline u32 cr3() { u32 v; asm volatile("mov %%cr3, %0" : "=r"(v)); return v; }
inline void set_cr3(u32 v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
// CR4 exists from the Pentium on (and on 486s with CPUID features): only touch it when CPUID
// reported PSE or PGE ([intel/vol3] §2.5).
inline u32 dr6() { u32 v; asm volatile("mov %%dr6, %0" : "=r"(v)); return v; }
inline void set_dr6(u32 v) { asm volatile("mov %0, %%dr6" ::"r"(v)); }
inline u32 cr4() { u32 v; asm volatile("mov %%cr4, %0" : "=r"(v)); return v; }
inline void set_cr4(u32 v) { asm volatile("mov %0, %%cr4" ::"r"(v) : "memory"); }
// Only where CPUID reports MSRs; the SYSENTER MSRs only where SEP is usable ([intel/vol4] 0x174-0x176).
inline void wrmsr(u32 msr, u64 v) { asm volatile("wrmsr" ::"c"(msr), "a"(u32(v)), "d"(u32(v >> 32))); }
inline void invlpg(u32 addr) { asm volatile("invlpg (%0)" ::"r"(addr) : "memory"); }

// LSL/LAR: the CPU's own view of a descriptor; ZF clear means the selector is not visible.
// [intel/vol2] LSL, LAR.
inline bool lsl(u16 sel, u32* limit) {
    u32 v = 0;
    u8 ok;
    asm volatile("lsl %2, %0; setz %1" : "+r"(v), "=q"(ok) : "rm"(u32(sel)) : "cc");
    *limit = v;
    return ok;
}
inline bool lar(u16 sel, u32* access) {
    u32 v = 0;
    u8 ok;
    asm volatile("lar %2, %0; setz %1" : "+r"(v), "=q"(ok) : "rm"(u32(sel)) : "cc");
    *access = v;
    return ok;
}

inline void cpuid(u32 leaf, u32* a, u32* b, u32* c, u32* d) {
    asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}
inline u64 rdtsc() {
    u32 lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (u64(hi) << 32) | lo;
}

}  // namespace x86
