#include "src/boot/elf_check.hpp"

namespace elf {

bool check_exec_header(const u8* file, u32 size, Header* out, const char** why) {
    auto fail = [why](const char* reason) {
        *why = reason;
        return false;
    };
    if (!file || size < sizeof(Header)) return fail("truncated: shorter than an ELF header");
    Header eh = read<Header>(file);
    if (eh.ident[0] != 0x7F || eh.ident[1] != 'E' || eh.ident[2] != 'L' || eh.ident[3] != 'F')
        return fail("not an ELF file");
    if (eh.ident[4] != 1 || eh.ident[5] != 1) return fail("not 32-bit little-endian ELF");
    if (eh.machine != kMachine386) return fail("wrong machine (not EM_386)");
    if (eh.type != kTypeExec) return fail("not an executable ELF (ET_EXEC)");
    if (eh.phentsize != sizeof(ProgramHeader) || eh.phnum == 0 || eh.phnum > 16)
        return fail("bad program header table");
    if (!within(eh.phoff, u32(eh.phnum) * sizeof(ProgramHeader), size))
        return fail("truncated: program headers past the end of the file");
    *out = eh;
    return true;
}

}  // namespace elf
