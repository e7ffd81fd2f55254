#include "src/boot/boot_info.hpp"
#include "src/boot/ksyms.hpp"
#include "src/lib/str.hpp"
#include "src/mm/layout.hpp"

extern "C" char _kernel_start[], _kernel_end[];

namespace {
u32 string_end(u32 addr) { return addr + u32(str_len(mm::p2v<const char>(addr))) + 1; }
}  // namespace

BootRanges collect_boot_ranges(const mb::Info& info) {
    BootRanges r;
    // Real-mode IVT, BIOS data, EBDA, VGA memory and ROMs: the kernel never hands out low memory.
    r.add(0, 0x100000, "low memory");
    r.add(mm::v2p(_kernel_start), mm::v2p(_kernel_end), "kernel image");
    r.add(mm::v2p(&info), mm::v2p(&info) + sizeof(mb::Info), "multiboot info");
    if (info.flags & mb::kCmdline) r.add(info.cmdline, string_end(info.cmdline), "command line");
    if (info.flags & mb::kMmap) r.add(info.mmap_addr, info.mmap_addr + info.mmap_length, "memory map");
    if (info.flags & mb::kElfSections)
        r.add(info.elf_addr, info.elf_addr + info.elf_num * info.elf_size, "ELF section headers");
    u32 sym_start = 0, sym_end = 0;
    ksyms::extent(&sym_start, &sym_end);
    r.add(sym_start, sym_end, "kernel symbols");
    if (info.flags & mb::kMods) {
        auto* mods = mm::p2v<const mb::Module>(info.mods_addr);
        r.add(info.mods_addr, info.mods_addr + info.mods_count * sizeof(mb::Module), "module list");
        for (u32 i = 0; i < info.mods_count && i < mb::kMaxModules; i++) {
            r.add(mods[i].start, mods[i].end, "module");
            if (mods[i].string) r.add(mods[i].string, string_end(mods[i].string), "module name");
        }
    }
    return r;
}
