#include <catch2/catch.hpp>
#include <memory>
#include "src/mm/frame_bitmap.hpp"

TEST_CASE("frame bitmap hands out only freed frames, once", "[frames]") {
    auto bm = std::make_unique<FrameBitmap>();
    bm->init();
    CHECK(bm->free_count() == 0);
    CHECK(bm->alloc().error() == Err::NoMemory);

    bm->set_free(0x100, 0x103);        // four frames
    bm->set_used(0x102, 0x102);        // a hole in the middle
    CHECK(bm->free_count() == 3);
    bm->set_free(0x100, 0x101);        // freeing free frames again does not inflate the count
    CHECK(bm->free_count() == 3);

    u32 got[3];
    for (u32& f : got) {
        auto r = bm->alloc();
        REQUIRE(r.ok());
        f = r.value();
        CHECK(f != 0x102);
        CHECK(f >= 0x100);
        CHECK(f <= 0x103);
    }
    CHECK(bm->alloc().error() == Err::NoMemory);
    CHECK(bm->free(got[1]).ok());
    CHECK(bm->free(got[1]).error() == Err::Invalid);   // double free
    CHECK(bm->free(0x102).error() == Err::Invalid);    // never handed out
    CHECK(bm->free(FrameBitmap::kFrames).error() == Err::Range);
    auto again = bm->alloc();
    REQUIRE(again.ok());
    CHECK(again.value() == got[1]);
}

TEST_CASE("frame bitmap ranges clip at 4 GiB", "[frames]") {
    auto bm = std::make_unique<FrameBitmap>();
    bm->init();
    bm->set_free(FrameBitmap::kFrames - 2, FrameBitmap::kFrames + 10);
    CHECK(bm->free_count() == 2);
    CHECK(bm->is_used(FrameBitmap::kFrames + 1));
}

TEST_CASE("contiguous runs skip holes and come back frame by frame", "[frames]") {
    auto bm = std::make_unique<FrameBitmap>();
    bm->init();
    bm->set_free(0x100, 0x1FF);
    bm->set_used(0x104, 0x104);          // a hole: a 4-run fits before it, a 5-run does not
    auto a = bm->alloc_run(4);
    REQUIRE(a.ok());
    CHECK(a.value() == 0x100);
    auto b = bm->alloc_run(5);
    REQUIRE(b.ok());
    CHECK(b.value() == 0x105);
    CHECK(bm->free_count() == 0xFF - 9);
    CHECK(bm->alloc_run(0x100).error() == Err::NoMemory);
    CHECK(bm->alloc_run(0).error() == Err::NoMemory);
    for (u32 f = 0; f < 5; f++) CHECK(bm->free(b.value() + f).ok());
    auto c = bm->alloc_run(5);
    REQUIRE(c.ok());
    CHECK(c.value() == 0x105);
}
