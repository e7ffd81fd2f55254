// Driver image validation: everything the loader needs from an ELF32 driver file, checked before
// a single byte is trusted (docs/drivers.md, "Image"). Pure, so the host tests can feed it every
// kind of broken file. A malformed image yields a reason; the kernel names the file and skips it.
#pragma once
#include "drivers/lib/abi.hpp"
#include "gdt/iopb.hpp"
#include "src/lib/str.hpp"

namespace drv {

inline constexpr u32 kMaxSegmentBytes = 1u << 20;  // per code or data segment
inline constexpr u32 kMaxExports = 32;
inline constexpr u32 kMaxImports = 32;
inline constexpr u32 kMaxNameLen = 31;

struct Image {
    const u8* code;       // file bytes of the code segment (offset 0 of the driver's CS)
    u32 code_size;
    const u8* data;       // file bytes of the data segment, placed at data_offset in the DS
    u32 data_offset;      // = stack area size: the stacks occupy [0, data_offset)
    u32 data_filesz, data_memsz;
    drvabi::Header header;
    Str name;

    // Data-segment offset → pointer into the file, or nullptr outside the file-backed part.
    const u8* at(u32 off, u32 len) const;
    // A NUL-terminated string at a data offset, bounded by the file-backed data.
    bool string_at(u32 off, Str* out) const;
    u32 export_count() const { return (header.exports_end - header.exports) / sizeof(drvabi::Export); }
    u32 import_count() const { return (header.imports_end - header.imports) / sizeof(drvabi::Import); }
    drvabi::Export export_at(u32 i) const;
    drvabi::Import import_at(u32 i) const;
    u32 port_count() const { return (header.ports_end - header.ports) / sizeof(drvabi::PortRange); }
    drvabi::PortRange port_at(u32 i) const;
    u32 data_limit() const { return data_offset + data_memsz - 1; }
};

// Validates `file` (size bytes) as a driver image. On failure returns false with *why set.
bool parse_image(const u8* file, u32 size, Image* out, const char** why);

// The image's declared ports as bitmap ranges (at most iopb::kMaxRanges; the image is parsed).
u32 port_ranges(const Image& img, iopb::Range* out);

// A valid export/import name: "driver.function", [a-z0-9_] words.
bool valid_symbol_name(Str s);

}  // namespace drv
