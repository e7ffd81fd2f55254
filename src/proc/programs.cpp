// User programs: the "<name>.elf" modules, validated and loaded into an address space.
#include "src/console.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/process.hpp"
#include "src/proc/user_image.hpp"

namespace proc {
namespace {
struct Program {
    char name[32];
    const u8* bytes;
    u32 size;
};
constexpr u32 kMaxPrograms = 32;
Program g_programs[kMaxPrograms];
u32 g_count = 0;

// mov eax, n / mov ecx, esp / mov edx, <its ret> / sysenter / ret
void write_sysenter_stubs(u8* page) {
    for (u32 n = 0; n < kMaxSyscalls; n++) {
        u32 ret = kStubPage + n * kStubBytes + 14;
        const u8 code[15] = {0xB8, u8(n), u8(n >> 8), u8(n >> 16), u8(n >> 24), 0x89, 0xE1, 0xBA,
                             u8(ret), u8(ret >> 8), u8(ret >> 16), u8(ret >> 24), 0x0F, 0x34, 0xC3};
        for (u32 i = 0; i < sizeof code; i++) page[n * kStubBytes + i] = code[i];
    }
}
}  // namespace

void register_module(const char* name, const u8* bytes, u32 size) {
    if (g_count == kMaxPrograms) {  // refused with a word, never dropped silently
        kprintf("proc: %s not registered: the program table holds %u\n", name, kMaxPrograms);
        return;
    }
    Program& p = g_programs[g_count++];
    Str n(name);
    Str base = n.sub(0, n.n - 4);  // without ".elf"
    u32 len = base.n < 31 ? u32(base.n) : 31;
    for (u32 i = 0; i < len; i++) p.name[i] = base.p[i];
    p.name[len] = '\0';
    p.bytes = bytes;
    p.size = size;
}

u32 program_count() { return g_count; }

bool program_is_small(Str name, const u8** bytes, u32* size) {
    for (u32 i = 0; i < g_count; i++) {
        if (!Str(g_programs[i].name).eq(name)) continue;
        UserImage img;
        const char* why = nullptr;
        *bytes = g_programs[i].bytes;
        *size = g_programs[i].size;
        return parse_user_image(*bytes, *size, &img, &why) && img.small_space;
    }
    return false;
}

Result<u32> load_program(Str name, AddressSpace& as) {
    const Program* p = nullptr;
    for (u32 i = 0; i < g_count; i++)
        if (Str(g_programs[i].name).eq(name)) p = &g_programs[i];
    if (!p) return Err::NotFound;
    UserImage img;
    const char* why = nullptr;
    if (!parse_user_image(p->bytes, p->size, &img, &why)) {
        kprintf("proc: %s: %s; not run\n", p->name, why);
        return Err::Invalid;
    }
    for (u32 s = 0; s < img.count; s++) {
        const UserSegment& seg = img.seg[s];
        for (u32 page = seg.vaddr & ~0xFFFu; page < seg.vaddr + seg.memsz; page += mm::kPageSize) {
            u32 frame = TRY(as.map_new(page, seg.writable, !seg.writable));
            u8* dst = mm::p2v<u8>(frame);
            for (u32 i = 0; i < mm::kPageSize; i++) {
                u32 va = page + i;
                if (va >= seg.vaddr && va - seg.vaddr < seg.filesz) dst[i] = p->bytes[seg.offset + (va - seg.vaddr)];
            }
        }
    }
    for (u32 i = 1; i <= kStackPages; i++) TRY(as.map_new(kStackTop - i * mm::kPageSize, true));
    write_sysenter_stubs(mm::p2v<u8>(TRY(as.map_new(kStubPage, false))));
    return img.entry;
}

}  // namespace proc

namespace proc {
// The shell's list of runnable programs.
const char* program_name(u32 i) { return i < g_count ? g_programs[i].name : nullptr; }
}  // namespace proc
