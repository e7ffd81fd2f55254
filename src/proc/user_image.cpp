#include "src/proc/user_image.hpp"
#include "src/boot/elf_check.hpp"
#include "src/proc/small_layout.hpp"

namespace proc {
namespace {
using elf::within;
bool fail(const char** why, const char* reason) {
    *why = reason;
    return false;
}
}  // namespace

bool parse_user_image(const u8* file, u32 size, UserImage* out, const char** why) {
    *out = UserImage{};
    elf::Header eh;
    if (!elf::check_exec_header(file, size, &eh, why)) return false;
    u32 total = 0;
    bool entry_ok = false;
    for (u32 i = 0; i < eh.phnum; i++) {
        auto ph = elf::program_header(file, eh, i);
        if (ph.type == small::kPtSmallSpace) out->small_space = true;
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
