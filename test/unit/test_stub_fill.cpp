// The driver-export stub: the real template (src/drv/stub_template.inc, assembled for the host by
// test/unit/stub_template_host.asm) copied and patched as the kernel does it.
#include <catch2/catch.hpp>
#include <cstring>
#include <vector>
#include "src/drv/stub_fill.hpp"

extern "C" {
extern const u8 gh_stub_template[];
extern const u32 gh_stub_template_bytes, gh_stub_back_offset, gh_stub_patch_count;
extern const drv::StubPatch gh_stub_patches[];
}

namespace {
u32 le32(const u8* p) { return u32(p[0]) | u32(p[1]) << 8 | u32(p[2]) << 16 | u32(p[3]) << 24; }
const drv::StubValues kValues{0x2A, 0xC0401000, 0x100, 0xC0401004, 0x1230, 0x58};
}  // namespace

TEST_CASE("the stub template fits a slot and its patch table names every placeholder", "[gate]") {
    REQUIRE(gh_stub_template_bytes <= drv::kStubBytes);
    REQUIRE(gh_stub_back_offset < gh_stub_template_bytes);
    REQUIRE(gh_stub_patch_count == 7);
    // Each placeholder kind appears, and nowhere in the template is a placeholder left unlisted.
    for (u32 ph : {u32(drv::kPhId), u32(drv::kPhStacks), u32(drv::kPhLimit), u32(drv::kPhDs), u32(drv::kPhThunk)}) {
        u32 listed = 0, found = 0;
        for (u32 i = 0; i < gh_stub_patch_count; i++) listed += gh_stub_patches[i].placeholder == ph;
        for (u32 i = 0; i + 4 <= gh_stub_template_bytes; i++) found += le32(gh_stub_template + i) == ph;
        CHECK(listed == found);
        CHECK(listed > 0);
    }
}

TEST_CASE("filling the stub writes each value where its placeholder was", "[gate]") {
    std::vector<u8> out(drv::kStubBytes, 0xCC);
    REQUIRE(drv::fill_stub(out.data(), gh_stub_template, gh_stub_template_bytes, gh_stub_patches, gh_stub_patch_count,
                           kValues));
    u32 changed = 0;
    for (u32 i = 0; i < gh_stub_template_bytes; i++) changed += out[i] != gh_stub_template[i];
    CHECK(changed > 0);
    for (u32 i = 0; i < gh_stub_patch_count; i++) {
        const drv::StubPatch& p = gh_stub_patches[i];
        u32 want = p.placeholder == drv::kPhId       ? kValues.id
                   : p.placeholder == drv::kPhStacks ? kValues.stacks_addr
                   : p.placeholder == drv::kPhLimit   ? kValues.limit
                   : p.placeholder == drv::kPhDs     ? kValues.ds_addr
                   : p.placeholder == drv::kPhThunk  ? kValues.thunk
                                                     : kValues.cs;
        if (p.placeholder == drv::kPhCs) CHECK(u32(out[p.offset] | out[p.offset + 1] << 8) == want);
        else CHECK(le32(out.data() + p.offset) == want);
    }
    // No placeholder survives.
    for (u32 i = 0; i + 4 <= gh_stub_template_bytes; i++) CHECK((le32(out.data() + i) & 0xFFFFFFF0) != 0x7A000000);
    // The far jump to the thunk (EA off32 sel16) is the last instruction before the return half.
    CHECK(out[gh_stub_back_offset - 7] == 0xEA);
}

TEST_CASE("a patch table that disagrees with the template is refused", "[gate]") {
    std::vector<u8> out(drv::kStubBytes);
    std::vector<drv::StubPatch> bad(gh_stub_patches, gh_stub_patches + gh_stub_patch_count);
    SECTION("an offset one byte off") { bad[3].offset += 1; }
    SECTION("the wrong placeholder") { bad[0].placeholder = drv::kPhThunk; }
    SECTION("an offset past the template") { bad[5].offset = gh_stub_template_bytes - 2; }
    SECTION("an unknown placeholder") { bad[1].placeholder = 0x12345678; }
    CHECK_FALSE(drv::fill_stub(out.data(), gh_stub_template, gh_stub_template_bytes, bad.data(), u32(bad.size()), kValues));
    CHECK_FALSE(drv::fill_stub(out.data(), gh_stub_template, drv::kStubBytes + 1, gh_stub_patches, gh_stub_patch_count, kValues));
}

TEST_CASE("thunks and refusals encode as the manual says", "[gate]") {
    u8 t[drv::kThunkBytes];
    drv::encode_thunk(t, 0x2000, 0x3000, 0x08, 0xC0500040);
    CHECK(t[0] == 0xE8);
    CHECK(le32(t + 1) == 0x3000 - 0x2005);
    CHECK(t[5] == 0xEA);
    CHECK(le32(t + 6) == 0xC0500040);
    CHECK(u32(t[10] | t[11] << 8) == 0x08u);
    u8 r[drv::kRefuseBytes];
    drv::encode_refuse(r, 0xFFFFFFF9);
    CHECK(r[0] == 0xB8);
    CHECK(le32(r + 1) == 0xFFFFFFF9);
    CHECK(r[5] == 0xCB);
    // The refusal must not reach into the template's third instruction: it is written over the
    // first two (push ds, mov ds, [cs:..]) only, so no live call can be returning through it.
    CHECK(drv::kRefuseBytes <= 8);
}
