#include <catch2/catch.hpp>
#include <string>
#include "src/arch/fault_decode.hpp"

TEST_CASE("exception names and which push an error code", "[fault]") {
    CHECK(std::string(exception_mnemonic(13)) == "#GP");
    CHECK(std::string(exception_name(13)) == "general protection");
    CHECK(std::string(exception_mnemonic(8)) == "#DF");
    CHECK(std::string(exception_mnemonic(0)) == "#DE");
    CHECK(std::string(exception_mnemonic(15)) == "#??");
    CHECK(std::string(exception_mnemonic(32)) == "#??");
    CHECK(std::string(exception_mnemonic(31)) == "#??");
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
}
