#include "src/drv/symbols.hpp"
#include "src/boot/elf.hpp"
#include "src/drv/registry.hpp"

namespace drv {
namespace {
template <class T>
bool read(const Driver& d, u32 off, T* out) {
    if (off > d.file_size || sizeof(T) > d.file_size - off) return false;
    auto* dst = reinterpret_cast<u8*>(out);
    for (usize i = 0; i < sizeof(T); i++) dst[i] = d.file_bytes[off + i];
    return true;
}
}  // namespace

const char* symbolize(const Driver& d, u32 eip, u32* offset) {
    if (eip >= d.image.code_size) return nullptr;  // past the code limit: no function of the driver's
    elf::Header eh;
    if (!d.file_bytes || !read(d, 0, &eh) || eh.shentsize != sizeof(elf::SectionHeader)) return nullptr;
    for (u32 s = 0; s < eh.shnum; s++) {
        elf::SectionHeader sh, str;
        if (!read(d, eh.shoff + s * sizeof(sh), &sh) || sh.type != elf::kShtSymtab) continue;
        if (!read(d, eh.shoff + sh.link * sizeof(str), &str) || str.type != elf::kShtStrtab) return nullptr;
        u32 best_value = 0, best_name = 0, best_size = 0;
        bool found = false;
        for (u32 i = 0; i < sh.size / sizeof(elf::Symbol); i++) {
            elf::Symbol sym;
            if (!read(d, sh.offset + i * sizeof(sym), &sym)) break;
            if (elf::symbol_type(sym.info) != elf::kSttFunc || sym.value > eip) continue;
            if (!found || sym.value > best_value) {
                best_value = sym.value;
                best_name = sym.name;
                best_size = sym.size;
                found = true;
            }
        }
        if (found && best_size && eip - best_value >= best_size) return nullptr;  // between functions
        if (!found || best_name >= str.size || str.offset > d.file_size || str.size > d.file_size - str.offset)
            return nullptr;
        // The name must end inside the string table.
        for (u32 i = best_name; i < str.size; i++)
            if (d.file_bytes[str.offset + i] == '\0') {
                *offset = eip - best_value;
                return reinterpret_cast<const char*>(d.file_bytes + str.offset + best_name);
            }
        return nullptr;
    }
    return nullptr;
}
}  // namespace drv
