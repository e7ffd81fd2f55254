#include <catch2/catch.hpp>
#include <string>
#include <vector>
#include <initializer_list>
#include "src/arch/fault_decode.hpp"

TEST_CASE("exception names and which push an error code", "[fault]") {
    CHECK(std::string(exception_mnemonic(13)) == "#GP");
    CHECK(std::string(exception_name(13)) == "general protection");
    CHECK(std::string(exception_mnemonic(8)) == "#DF");
    CHECK(std::string(exception_mnemonic(0)) == "#DE");
    CHECK(std::string(exception_mnemonic(15)) == "reserved");
    CHECK(std::string(exception_name(15)) == "Intel reserved");
    CHECK(std::string(exception_mnemonic(31)) == "reserved");
    CHECK(std::string(exception_mnemonic(32)) == "INT");
    CHECK(std::string(exception_name(0xFFFFFFFF)) == "not an exception (an IRQ or INT n)");
    CHECK(std::string(exception_mnemonic(14)) == "#PF");
    CHECK(std::string(exception_mnemonic(30)) == "#SX");
    CHECK(std::string(exception_mnemonic(21)) == "#CP");
    CHECK(std::string(exception_name(8)) == "double fault");
    const u32 with_code[] = {8, 10, 11, 12, 13, 14, 17, 21, 29, 30};
    int count = 0;
    for (u32 v = 0; v < 40; v++) count += exception_has_error_code(v);
    CHECK(count == 10);
    for (u32 v : with_code) CHECK(exception_has_error_code(v));
    CHECK(!exception_has_error_code(0));
    CHECK(!exception_has_error_code(6));
    CHECK(exception_error_is_selector(13));
    CHECK(exception_error_is_selector(10));
    CHECK(!exception_error_is_selector(14));
    CHECK(!exception_error_is_selector(8));
    CHECK(exception_error_is_selector(11));
    CHECK(exception_error_is_selector(12));
    CHECK(!exception_error_is_selector(9));
    CHECK(!exception_error_is_selector(17));
    CHECK(exception_error_always_zero(8));
    CHECK(exception_error_always_zero(17));
    CHECK(!exception_error_always_zero(13));
    int reserved = 0;
    for (u32 v = 0; v < 32; v++) reserved += std::string(exception_mnemonic(v)) == "reserved";
    CHECK(reserved == 8);  // 15, 22..27, 31
    for (u32 v : with_code) CHECK(std::string(exception_mnemonic(v)) != "reserved");
}

TEST_CASE("selector error codes", "[fault]") {
    SelectorError gdt = decode_selector_error(0x0F00);  // GDT index 480
    CHECK(gdt.table == SelectorTable::Gdt);
    CHECK(gdt.index == 480);
    CHECK(gdt.selector == 0x0F00);
    CHECK(!gdt.ext);
    CHECK(!gdt.null);

    SelectorError ldt = decode_selector_error(0x0F05);  // TI + EXT
    CHECK(ldt.table == SelectorTable::Ldt);
    CHECK(ldt.ext);
    CHECK(ldt.index == 480);
    CHECK(ldt.selector == 0x0F04);

    SelectorError idt = decode_selector_error(0x0003);  // IDT vector 0, external: a #NP on gate 0
    CHECK(idt.table == SelectorTable::Idt);
    CHECK(idt.index == 0);
    CHECK(idt.ext);
    SelectorError idt13 = decode_selector_error(13 * 8 + 2);
    CHECK(idt13.table == SelectorTable::Idt);
    CHECK(idt13.index == 13);

    CHECK(decode_selector_error(0).null);
    CHECK(decode_selector_error(1).null);   // EXT alone still names no selector
    CHECK(decode_selector_error(1).ext);
    CHECK(!decode_selector_error(4).null);  // LDT entry 0 is a real entry
    CHECK(!decode_selector_error(2).null);  // so is IDT vector 0
    CHECK(decode_selector_error(2).selector == 0);
    CHECK(decode_selector_error(0x0013).selector == 0);  // an IDT vector has no selector
    CHECK(decode_selector_error(0x0013).index == 2);
    CHECK(decode_selector_error(0x0013).table == SelectorTable::Idt);
    CHECK(decode_selector_error(0x0011).selector == 0x0010);
    CHECK(decode_selector_error(0x0011).table == SelectorTable::Gdt);
    CHECK(decode_selector_error(0xFFFF0028).index == 5);  // upper bits are reserved: ignored
    CHECK(decode_selector_error(0xFFFF0028).selector == 0x28);
    CHECK(decode_selector_error(0xFFF8).index == 8191);
}

TEST_CASE("page-fault error codes", "[fault]") {
    PageFaultError e = decode_page_fault_error(0x7);
    CHECK(e.present);
    CHECK(e.write);
    CHECK(e.user);
    CHECK(!e.reserved);
    CHECK(!e.instruction);
    CHECK(decode_page_fault_error(0x10).instruction);
    CHECK(!decode_page_fault_error(0x10).present);
    CHECK(decode_page_fault_error(0x8).reserved);
    PageFaultError none = decode_page_fault_error(0);
    CHECK(!none.present);
    CHECK(!none.write);
    CHECK(!none.user);
    CHECK(!none.reserved);
    CHECK(!none.instruction);
}

TEST_CASE("page-fault error text", "[fault]") {
    char buf[64];
    CHECK(page_fault_text(0x0, buf, sizeof buf) == 23);
    CHECK(std::string(buf) == "not present read kernel");
    page_fault_text(0x7, buf, sizeof buf);
    CHECK(std::string(buf) == "protection write user");
    page_fault_text(0x15, buf, sizeof buf);
    CHECK(std::string(buf) == "protection fetch user");
    page_fault_text(0x1F, buf, sizeof buf);
    CHECK(std::string(buf) == "protection fetch user, reserved bit set");
    page_fault_text(0x18, buf, 48);
    CHECK(std::string(buf) == "not present fetch kernel, reserved bit set");
    char tiny[5] = "xxxx";
    CHECK(page_fault_text(0x2, tiny, sizeof tiny) == 4);
    CHECK(std::string(tiny) == "not ");
    CHECK(page_fault_text(0x2, tiny, 0) == 0);
    CHECK(std::string(tiny) == "not ");  // cap 0: nothing written
}

TEST_CASE("segment override prefixes", "[fault]") {
    const u8 fs_load[] = {0x64, 0x8B, 0x01};            // mov eax, fs:[ecx]
    CHECK(decode_segment_prefix(fs_load, 3) == SegmentOverride::Fs);
    const u8 plain[] = {0x8B, 0x01};
    CHECK(decode_segment_prefix(plain, 2) == SegmentOverride::None);
    const u8 rep_gs[] = {0xF3, 0x65, 0xA4};             // rep movsb with gs source
    CHECK(decode_segment_prefix(rep_gs, 3) == SegmentOverride::Gs);
    const u8 last_wins[] = {0x2E, 0x66, 0x36, 0x89, 0x00};
    CHECK(decode_segment_prefix(last_wins, 5) == SegmentOverride::Ss);
    const u8 all_prefixes[16] = {0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                                 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x26};
    CHECK(decode_segment_prefix(all_prefixes, 16) == SegmentOverride::None);  // past 15 bytes
    CHECK(decode_segment_prefix(fs_load, 0) == SegmentOverride::None);
    CHECK(std::string(segment_override_name(SegmentOverride::Fs)) == "fs");
    const u8 lock_es[] = {0xF0, 0x67, 0x26, 0xFF, 0x00};  // lock, addr32, es: inc [eax]
    CHECK(decode_segment_prefix(lock_es, 5) == SegmentOverride::Es);
    const u8 cs_only[] = {0x2E};                           // a prefix and no opcode within len
    CHECK(decode_segment_prefix(cs_only, 1) == SegmentOverride::Cs);
    const u8 ds[] = {0x3E, 0xA1, 0, 0, 0, 0};
    CHECK(decode_segment_prefix(ds, 6) == SegmentOverride::Ds);
    const u8 rex_like[] = {0x8B, 0x64, 0x24, 0x04};        // mov esp,[esp+4]: 0x64 is a ModRM, not FS
    CHECK(decode_segment_prefix(rex_like, 4) == SegmentOverride::None);
    const u8 fifteen[15] = {0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                            0x66, 0x66, 0x66, 0x66, 0x66, 0x65, 0x8B};
    CHECK(decode_segment_prefix(fifteen, 15) == SegmentOverride::Gs);
    const u8 syscall_site[] = {0x9A, 0x01, 0, 0, 0, 0x03, 0x00};  // the user syscall far call
    CHECK(decode_segment_prefix(syscall_site, 7) == SegmentOverride::None);
    CHECK(std::string(segment_override_name(SegmentOverride::Es)) == "es");
    CHECK(std::string(segment_override_name(SegmentOverride::Ss)) == "ss");
    CHECK(std::string(segment_override_name(SegmentOverride::Gs)) == "gs");
    CHECK(std::string(segment_override_name(SegmentOverride::None)).rfind("none", 0) == 0);
}

TEST_CASE("port I/O instructions are named with their port and width", "[fault_decode][iopb]") {
    auto d = [](std::initializer_list<u8> b) {
        std::vector<u8> v(b);
        return decode_port_io(v.data(), v.size());
    };
    PortIo inb_dx = d({0xEC});
    CHECK(inb_dx.is_io);
    CHECK(!inb_dx.out);
    CHECK(!inb_dx.port_imm);
    CHECK(inb_dx.width == 1);
    CHECK(std::string(inb_dx.mnemonic) == "inb");
    PortIo outb_imm = d({0xE6, 0x80});
    CHECK(outb_imm.out);
    CHECK(outb_imm.port_imm);
    CHECK(outb_imm.imm == 0x80);
    CHECK(std::string(outb_imm.mnemonic) == "outb");
    CHECK(std::string(d({0xED}).mnemonic) == "inl");
    CHECK(d({0x66, 0xED}).width == 2);
    CHECK(std::string(d({0x66, 0xEF}).mnemonic) == "outw");
    CHECK(std::string(d({0xE5, 0x60}).mnemonic) == "inl");
    PortIo outs = d({0xF3, 0x26, 0x6E});
    CHECK(outs.is_io);
    CHECK(outs.string);
    CHECK(std::string(outs.mnemonic) == "outsb");
    CHECK(std::string(d({0x6D}).mnemonic) == "insl");
    CHECK(!d({0xE4}).is_io);          // imm8 cut off
    CHECK(!d({0x8E, 0xD8}).is_io);    // mov ds, ax
    CHECK(!d({0xFA}).is_io);          // cli
    CHECK(!d({}).is_io);
    CHECK(!d({0x66, 0x66}).is_io);    // prefixes only
}
