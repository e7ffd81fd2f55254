#include "src/drv/image.hpp"
#include "src/boot/elf_check.hpp"

static_assert(iopb::kMaxRanges == drvabi::kMaxPortRanges);

namespace drv {
namespace {
using elf::read;
using elf::within;

bool name_char(char c, bool allow_dot) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || (allow_dot && c == '.');
}

bool valid_driver_name(Str s) {
    if (s.n == 0 || s.n > kMaxNameLen) return false;
    for (usize i = 0; i < s.n; i++)
        if (!name_char(s.p[i], false)) return false;
    return true;
}

bool fail(const char** why, const char* reason) {
    *why = reason;
    return false;
}

}  // namespace

bool valid_symbol_name(Str s) {
    usize dot = s.find('.');
    if (dot == 0 || dot >= s.n - 1 || s.n > 2 * kMaxNameLen + 1) return false;
    if (s.sub(dot + 1).find('.') != s.n - dot - 1) return false;  // exactly one dot
    for (usize i = 0; i < s.n; i++)
        if (!name_char(s.p[i], true)) return false;
    return true;
}

const u8* Image::at(u32 off, u32 len) const {
    if (off < data_offset) return nullptr;
    u32 rel = off - data_offset;
    return within(rel, len, data_filesz) ? data + rel : nullptr;
}

bool Image::string_at(u32 off, Str* out) const {
    if (off < data_offset || off - data_offset >= data_filesz) return false;
    const char* s = reinterpret_cast<const char*>(data + (off - data_offset));
    u32 room = data_filesz - (off - data_offset);
    for (u32 n = 0; n < room && n <= 2 * kMaxNameLen + 1; n++)
        if (s[n] == '\0') {
            *out = Str(s, n);
            return true;
        }
    return false;
}

drvabi::Export Image::export_at(u32 i) const {
    return read<drvabi::Export>(at(header.exports + i * sizeof(drvabi::Export), sizeof(drvabi::Export)));
}
drvabi::Import Image::import_at(u32 i) const {
    return read<drvabi::Import>(at(header.imports + i * sizeof(drvabi::Import), sizeof(drvabi::Import)));
}

drvabi::PortRange Image::port_at(u32 i) const {
    return read<drvabi::PortRange>(at(header.ports + i * sizeof(drvabi::PortRange), sizeof(drvabi::PortRange)));
}

u32 port_ranges(const Image& img, iopb::Range* out) {
    u32 n = img.port_count() < iopb::kMaxRanges ? img.port_count() : iopb::kMaxRanges;
    for (u32 i = 0; i < n; i++) out[i] = {img.port_at(i).base, img.port_at(i).count};
    return n;
}

bool parse_image(const u8* file, u32 size, Image* out, const char** why) {
    *out = Image{};
    elf::Header eh;
    if (!elf::check_exec_header(file, size, &eh, why)) return false;

    elf::ProgramHeader code{}, data{};
    u32 loads = 0;
    bool have_code = false, have_data = false;
    for (u32 i = 0; i < eh.phnum; i++) {
        auto ph = elf::program_header(file, eh, i);
        if (ph.type != elf::kPtLoad) continue;
        loads++;
        if (ph.flags & elf::kPfX) {
            if (ph.flags & elf::kPfW) return fail(why, "a writable code segment");
            code = ph;
            have_code = true;
        } else {
            data = ph;
            have_data = true;
        }
    }
    if (loads != 2 || !have_code || !have_data) return fail(why, "want exactly one code and one data PT_LOAD");
    if (code.vaddr != 0) return fail(why, "code not linked at offset 0 (use drivers/lib/driver.ld)");
    if (code.filesz == 0 || code.filesz != code.memsz || code.filesz > kMaxSegmentBytes)
        return fail(why, "bad code segment size");
    if (data.memsz < data.filesz || data.memsz > kMaxSegmentBytes || data.filesz < sizeof(drvabi::Header))
        return fail(why, "bad data segment size");
    if (!within(code.offset, code.filesz, size) || !within(data.offset, data.filesz, size))
        return fail(why, "truncated: a segment runs past the end of the file");
    if (code.offset < data.offset + data.filesz && data.offset < code.offset + code.filesz)
        return fail(why, "code and data overlap in the file");

    out->code = file + code.offset;
    out->code_size = code.filesz;
    out->data = file + data.offset;
    out->data_offset = data.vaddr;
    out->data_filesz = data.filesz;
    out->data_memsz = data.memsz;
    if (u64(data.vaddr) + data.memsz > kMaxSegmentBytes) return fail(why, "data segment too large");

    const u8* hp = out->at(data.vaddr, sizeof(drvabi::Header));
    if (!hp) return fail(why, "no driver header at the start of the data segment");
    drvabi::Header h = read<drvabi::Header>(hp);
    out->header = h;
    if (h.magic != drvabi::kMagic) return fail(why, "bad driver header magic");
    if (h.version != drvabi::kVersion) return fail(why, "unsupported driver ABI version");
    if (h.stack_slots == 0 || h.stack_slots > 32) return fail(why, "stack slots must be 1..32");
    if (h.stack_slot_bytes < 256 || h.stack_slot_bytes % 16 || h.stack_slot_bytes > 0x10000)
        return fail(why, "bad stack slot size");
    if (u64(h.stack_slots) * h.stack_slot_bytes != data.vaddr)
        return fail(why, "data not linked right above the stacks");
    if (!out->string_at(h.name, &out->name) || !valid_driver_name(out->name)) return fail(why, "bad driver name");
    if (h.trampoline >= code.filesz) return fail(why, "trampoline outside the code segment");
    if (h.rodata_end < data.vaddr || h.rodata_end - data.vaddr > data.filesz) return fail(why, "bad rodata end");
    if (h.init != 0 && h.init >= code.filesz) return fail(why, "init outside the code segment");

    if (h.exports_end < h.exports || (h.exports_end - h.exports) % sizeof(drvabi::Export) ||
        !out->at(h.exports, h.exports_end - h.exports))
        return fail(why, "bad export table");
    if (h.imports_end < h.imports || (h.imports_end - h.imports) % sizeof(drvabi::Import) ||
        !out->at(h.imports, h.imports_end - h.imports))
        return fail(why, "bad import table");
    if (h.mode >= drvabi::kModes) return fail(why, "unknown isolation mode (want ring 0, ring 1 or ring 1 + domains)");
    if (h.ports_end < h.ports || (h.ports_end - h.ports) % sizeof(drvabi::PortRange) ||
        !out->at(h.ports, h.ports_end - h.ports))
        return fail(why, "bad I/O port table");
    if (out->port_count() > drvabi::kMaxPortRanges) return fail(why, "too many I/O port ranges (at most 4)");
    iopb::Range ranges[iopb::kMaxRanges];
    if (const char* bad = iopb::check(ranges, port_ranges(*out, ranges))) return fail(why, bad);
    if (out->export_count() > kMaxExports) return fail(why, "too many exports");
    if (out->import_count() > kMaxImports) return fail(why, "too many imports");

    for (u32 i = 0; i < out->export_count(); i++) {
        drvabi::Export e = out->export_at(i);
        Str n;
        if (!out->string_at(e.name, &n) || !valid_symbol_name(n)) return fail(why, "bad export name");
        if (!n.starts_with(out->name) || n.p[out->name.n] != '.')
            return fail(why, "export not named after its driver");
        if (e.code >= code.filesz) return fail(why, "export outside the code segment");
        if (e.audience < drvabi::kForKernel || e.audience > drvabi::kForPrograms) return fail(why, "export with an unknown audience");
    }
    for (u32 i = 0; i < out->import_count(); i++) {
        drvabi::Import im = out->import_at(i);
        Str n;
        if (!out->string_at(im.name, &n) || !valid_symbol_name(n)) return fail(why, "bad import name");
        if (im.slot < data.vaddr || u64(im.slot) + sizeof(drvabi::FarSlot) > u64(data.vaddr) + data.memsz)
            return fail(why, "import slot outside the data segment");
    }
    return true;
}

}  // namespace drv
