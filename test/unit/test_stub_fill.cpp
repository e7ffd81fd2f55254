// The driver-export stubs: the real templates (src/drv/stub_template.inc for ring-0 drivers,
// stub_template1.inc for ring-1 drivers, assembled for the host by
// test/unit/stub_template_host.asm) copied and patched as the kernel does it.
#include <catch2/catch.hpp>
#include <cstring>
#include <vector>
#include "src/drv/stub_fill.hpp"

extern "C" {
extern const u8 gh_stub_template[], gh_stub1_template[], gh_stubd_template[];
extern const u32 gh_stub_template_bytes, gh_stub_back_offset, gh_stub_patch_count;
extern const u32 gh_stub1_template_bytes, gh_stub1_patch_count, gh_stub_slot_bytes;
extern const u32 gh_stubd_template_bytes, gh_stubd_patch_count;
extern const drv::StubPatch gh_stub_patches[], gh_stub1_patches[], gh_stubd_patches[];
}

namespace {
u32 le32(const u8* p) { return u32(p[0]) | u32(p[1]) << 8 | u32(p[2]) << 16 | u32(p[3]) << 24; }

struct Template {
    const char* name;
    const u8* bytes;
    u32 size;
    const drv::StubPatch* patches;
    u32 count;
    std::vector<drv::StubValue> values;
    u32 magic_high;  // the placeholders' common high bits
};

std::vector<Template> templates() {
    return {
        {"ring 0", gh_stub_template, gh_stub_template_bytes, gh_stub_patches, gh_stub_patch_count,
         {{drv::kPhId, 0x2A}, {drv::kPhStacks, 0xC0401000}, {drv::kPhLimit, 0x100}, {drv::kPhDs, 0xC0401204},
          {drv::kPhThunk, 0x1230}, {drv::kPhCs, 0x58}},
         0x7A000000},
        {"ring 1", gh_stub1_template, gh_stub1_template_bytes, gh_stub1_patches, gh_stub1_patch_count,
         {{drv::kPh1Id, 0x2B}, {drv::kPh1Stacks, 0xC0402000}, {drv::kPh1StacksSs, 0xC0402004},
          {drv::kPh1Limit, 0x100}, {drv::kPh1Ds, 0xC0401244}, {drv::kPh1Thunk, 0x1240}, {drv::kPh1Cs, 0x59},
          {drv::kPh1Ports, 3}},
         0x7B000000},
        {"ring 1 + domains", gh_stubd_template, gh_stubd_template_bytes, gh_stubd_patches, gh_stubd_patch_count,
         {{drv::kPh1Id, 0x2C}, {drv::kPh1Stacks, 0xC0403000}, {drv::kPh1StacksSs, 0xC0403004},
          {drv::kPh1Limit, 0x100}, {drv::kPh1Ds, 0xC0401264}, {drv::kPh1Thunk, 0x1250}, {drv::kPh1Cs, 0x61},
          {drv::kPh1Ports, 4}, {drv::kPhdGdtr, 0xC0500006}},
         0x7B000000},
    };
}

u32 value_of(const Template& t, u32 placeholder) {
    for (const drv::StubValue& v : t.values)
        if (v.placeholder == placeholder) return v.value;
    return 0xDEADBEEF;
}
}  // namespace

TEST_CASE("the stub templates fit a slot and their patch tables name every placeholder", "[gate]") {
    REQUIRE(gh_stub_back_offset < gh_stub_template_bytes);
    REQUIRE(gh_stub_slot_bytes == drv::kStubBytes);  // the area's slots are what C++ indexes by
    for (const Template& t : templates()) {
        INFO(t.name);
        REQUIRE(t.size <= drv::kStubBytes);
        for (const drv::StubValue& v : t.values) {
            if (v.placeholder < 0x10000) continue;  // 16-bit fields: too short to scan for
            u32 listed = 0, found = 0;
            for (u32 i = 0; i < t.count; i++) listed += t.patches[i].placeholder == v.placeholder;
            for (u32 i = 0; i + 4 <= t.size; i++) found += le32(t.bytes + i) == v.placeholder;
            CHECK(listed == found);  // nowhere in the template is a placeholder left unlisted
            CHECK(listed > 0);
        }
    }
}

TEST_CASE("filling a stub writes each value where its placeholder was", "[gate]") {
    for (const Template& t : templates()) {
        INFO(t.name);
        std::vector<u8> out(drv::kStubBytes, 0xCC);
        REQUIRE(drv::fill_stub(out.data(), t.bytes, t.size, t.patches, t.count, t.values.data(), u32(t.values.size())));
        for (u32 i = 0; i < t.count; i++) {
            const drv::StubPatch& p = t.patches[i];
            u32 want = value_of(t, p.placeholder);
            if (p.placeholder < 0x10000) CHECK(u32(out[p.offset] | out[p.offset + 1] << 8) == want);
            else CHECK(le32(out.data() + p.offset) == want);
        }
        for (u32 i = 0; i + 4 <= t.size; i++) CHECK((le32(out.data() + i) & 0xFFFFFF00) != t.magic_high);
    }
    // The ring-0 stub's far jump to the thunk (EA off32 sel16) is the last instruction before its
    // return half; the ring-1 stub leaves by RETF (CB) right after loading DS.
    std::vector<u8> out(drv::kStubBytes);
    const Template t0 = templates()[0];
    REQUIRE(drv::fill_stub(out.data(), t0.bytes, t0.size, t0.patches, t0.count, t0.values.data(), u32(t0.values.size())));
    CHECK(out[gh_stub_back_offset - 7] == 0xEA);
}

TEST_CASE("a patch table that disagrees with its template is refused", "[gate]") {
    // GENERATE, not a loop: each run of the test case enters one SECTION, once per template.
    const Template t = templates()[GENERATE(0, 1)];
    {
        INFO(t.name);
        std::vector<u8> out(drv::kStubBytes);
        std::vector<drv::StubPatch> bad(t.patches, t.patches + t.count);
        std::vector<drv::StubValue> values = t.values;
        SECTION("an offset one byte off") { bad[3].offset += 1; }
        SECTION("the wrong placeholder") { bad[0].placeholder = bad[0].placeholder == values[4].placeholder ? values[5].placeholder : values[4].placeholder; }
        SECTION("an offset past the template") { bad[5].offset = t.size - 2; }
        SECTION("an unknown placeholder") { bad[1].placeholder = 0x12345678; }
        SECTION("a placeholder with no value") { values.erase(values.begin()); bad = {t.patches, t.patches + t.count}; }
        CHECK_FALSE(drv::fill_stub(out.data(), t.bytes, t.size, bad.data(), u32(bad.size()), values.data(), u32(values.size())));
        CHECK_FALSE(drv::fill_stub(out.data(), t.bytes, drv::kStubBytes + 1, t.patches, t.count, t.values.data(),
                                   u32(t.values.size())));
    }
}

TEST_CASE("thunks and refusals encode as the manual says", "[gate]") {
    u8 t[drv::kThunkBytes];
    drv::encode_thunk(t, 0x2000, 0x3000, 0x08, 0xC0500040);
    CHECK(t[0] == 0xE8);
    CHECK(le32(t + 1) == 0x3000 - 0x2005);
    CHECK(t[5] == 0xEA);
    CHECK(le32(t + 6) == 0xC0500040);
    CHECK(u32(t[10] | t[11] << 8) == 0x08u);
    drv::encode_thunk1(t, 0x2000, 0x3000, 0x1A9);
    CHECK(t[0] == 0xE8);
    CHECK(le32(t + 1) == 0x3000 - 0x2005);
    CHECK(t[5] == 0x9A);  // call far through the return gate; the offset is ignored
    CHECK(le32(t + 6) == 0);
    CHECK(u32(t[10] | t[11] << 8) == 0x1A9u);
    u8 r[drv::kRefuseBytes];
    drv::encode_refuse(r, 0xFFFFFFF9);
    CHECK(r[0] == 0xB8);
    CHECK(le32(r + 1) == 0xFFFFFFF9);
    CHECK(r[5] == 0xCB);
    CHECK(drv::kRefuseBytes <= 8);  // over the first two instructions only: no live call returns through them
}
