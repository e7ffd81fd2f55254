#include "src/proc/user_image.hpp"
#include "src/boot/elf.hpp"

namespace proc {
namespace {
template <class T>
T read(const u8* p) {
    T v;
    u8* d = reinterpret_cast<u8*>(&v);
    for (usize i = 0; i < sizeof(T); i++) d[i] = p[i];
    return v;
}
bool within(u32 off, u32 len, u32 size) { return off <= size && len <= size - off; }
bool fail(const char** why, const char* reason) {
    *why = reason;
    return false;
}
}  // namespace

bool parse_user_image(const u8* file, u32 size, UserImage* out, const char** why) {
    *out = UserImage{};
    if (!file || size < sizeof(elf::Header)) return fail(why, "truncated: shorter than an ELF header");
    auto eh = read<elf::Header>(file);
    if (eh.ident[0] != 0x7F || eh.ident[1] != 'E' || eh.ident[2] != 'L' || eh.ident[3] != 'F')
        return fail(why, "not an ELF file");
    if (eh.ident[4] != 1 || eh.ident[5] != 1) return fail(why, "not 32-bit little-endian ELF");
    if (eh.machine != elf::kMachine386) return fail(why, "wrong machine (not EM_386)");
    if (eh.type != elf::kTypeExec) return fail(why, "not an executable ELF (ET_EXEC)");
    if (eh.phentsize != sizeof(elf::ProgramHeader) || eh.phnum == 0 || eh.phnum > 16)
        return fail(why, "bad program header table");
    if (!within(eh.phoff, u32(eh.phnum) * sizeof(elf::ProgramHeader), size))
        return fail(why, "truncated: program headers past the end of the file");
    u32 total = 0;
    bool entry_ok = false;
    for (u32 i = 0; i < eh.phnum; i++) {
        auto ph = read<elf::ProgramHeader>(file + eh.phoff + i * sizeof(elf::ProgramHeader));
        if (ph.type != elf::kPtLoad || ph.memsz == 0) continue;
        if (out->count == kMaxSegments) return fail(why, "too many segments");
        if (ph.filesz > ph.memsz) return fail(why, "a segment's file size exceeds its memory size");
        if (!within(ph.offset, ph.filesz, size)) return fail(why, "truncated: a segment runs past the end of the file");
        if (ph.vaddr < kUserLow || ph.vaddr >= kUserTop || ph.memsz > kUserTop - ph.vaddr)
            return fail(why, "a segment outside user space");
        total += ph.memsz;
        if (total > kMaxProgramBytes) return fail(why, "program too large");
        for (u32 j = 0; j < out->count; j++) {
            const UserSegment& o = out->seg[j];
            u32 a0 = ph.vaddr & ~0xFFFu, a1 = (ph.vaddr + ph.memsz + 0xFFF) & ~0xFFFu;
            u32 b0 = o.vaddr & ~0xFFFu, b1 = (o.vaddr + o.memsz + 0xFFF) & ~0xFFFu;
            if (a0 < b1 && b0 < a1) return fail(why, "segments share a page");
        }
        bool x = ph.flags & elf::kPfX;
        out->seg[out->count++] = {ph.vaddr, ph.memsz, ph.filesz, ph.offset, bool(ph.flags & elf::kPfW), x};
        if (x && eh.entry >= ph.vaddr && eh.entry - ph.vaddr < ph.memsz) entry_ok = true;
    }
    if (out->count == 0) return fail(why, "no loadable segment");
    if (!entry_ok) return fail(why, "entry point outside the code");
    out->entry = eh.entry;
    return true;
}
}  // namespace proc
