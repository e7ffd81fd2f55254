// The checks every ELF32 image the kernel loads must pass (drivers and user programs): magic,
// 32-bit little-endian, EM_386, ET_EXEC, a sane program header table inside the file.
// Pure: shared by src/drv/image.cpp and src/proc/user_image.cpp, host-tested through both.
#pragma once
#include "src/boot/elf.hpp"

namespace elf {

// Unaligned little-endian read of a T at p (file bytes carry no alignment promise).
template <class T>
T read(const u8* p) {
    T v;
    u8* d = reinterpret_cast<u8*>(&v);
    for (usize i = 0; i < sizeof(T); i++) d[i] = p[i];
    return v;
}

// [off, off + len) inside [0, size), without overflow.
constexpr bool within(u32 off, u32 len, u32 size) { return off <= size && len <= size - off; }

// The ELF header of `file`, checked; false with *why set otherwise.
bool check_exec_header(const u8* file, u32 size, Header* out, const char** why);

// Program header i (check_exec_header guarantees the table is inside the file).
inline ProgramHeader program_header(const u8* file, const Header& eh, u32 i) {
    return read<ProgramHeader>(file + eh.phoff + i * sizeof(ProgramHeader));
}

}  // namespace elf
