#include <catch2/catch.hpp>
#include <vector>
#include "src/campaign/plan.hpp"

using namespace campaign;

namespace {
std::vector<u8> bytes(const Stub& s) { return std::vector<u8>(s.bytes, s.bytes + s.len); }
u32 le32(const Stub& s, u32 at) {
    return u32(s.bytes[at]) | u32(s.bytes[at + 1]) << 8 | u32(s.bytes[at + 2]) << 16 | u32(s.bytes[at + 3]) << 24;
}
StubContext ctx() {
    StubContext c{};
    c.code_size = 0x1234;
    c.data_limit = 0x2fff;
    c.stack_bytes = 0x2000;
    c.foreign_cs = 0x0058;
    c.foreign_code_size = 0x800;
    c.bad_selector = 0x0010;
    return c;
}
Plan with(Fault f, u32 variant, u32 r = 0x87654321) {
    Plan p{};
    p.fault = f;
    p.variant = variant;
    p.r[0] = p.r[1] = p.r[2] = p.r[3] = r;
    return p;
}
}  // namespace

TEST_CASE("the plan is a pure function of (seed, index)", "[campaign]") {
    for (u32 i = 0; i < 1000; i++) {
        Plan a = plan(42, i, 7), b = plan(42, i, 7);
        CHECK(a.target == b.target);
        CHECK(a.fault == b.fault);
        CHECK(a.variant == b.variant);
        CHECK(a.r[3] == b.r[3]);
        CHECK(a.index == i);
        CHECK(a.target < 7);
        CHECK(u32(a.fault) < kFaults);
        CHECK(a.variant < variant_count(a.fault));
    }
    // Another seed or the next index gives another injection.
    u32 same = 0;
    for (u32 i = 0; i < 1000; i++) same += plan(42, i, 7).r[0] == plan(43, i, 7).r[0];
    CHECK(same == 0);
    CHECK(plan(42, 5, 7).r[0] != plan(42, 6, 7).r[0]);
}

TEST_CASE("every fault, variant and target is chosen, about evenly", "[campaign]") {
    std::vector<u32> faults(kFaults), targets(7);
    std::vector<std::vector<u32>> variants(kFaults, std::vector<u32>(8));
    const u32 n = 150000;
    for (u32 i = 0; i < n; i++) {
        Plan p = plan(1, i, 7);
        faults[u32(p.fault)]++;
        targets[p.target]++;
        variants[u32(p.fault)][p.variant]++;
    }
    for (u32 f = 0; f < kRing0Faults; f++) {
        CHECK(faults[f] > n / kRing0Faults * 9 / 10);
        CHECK(faults[f] < n / kRing0Faults * 11 / 10);
        for (u32 v = 0; v < variant_count(Fault(f)); v++) CHECK(variants[f][v] > 0);
    }
    CHECK(faults[u32(Fault::EndlessLoopIf0)] == 0);  // no ring-1 target: never cli; jmp $
    for (u32 t : targets) CHECK(t > n / 7 * 9 / 10);
}

TEST_CASE("ring-1 targets also get cli; jmp $, and a ring-0 target's plans do not move", "[campaign]") {
    const u32 ring1 = 0b0000101;  // targets 0 and 2
    std::vector<u32> faults(kFaults);
    const u32 n = 150000;
    u32 ring1_plans = 0;
    for (u32 i = 0; i < n; i++) {
        Plan p = plan(1, i, 7, ring1), q = plan(1, i, 7);
        CHECK(p.target == q.target);
        if (!(ring1 >> p.target & 1)) {
            CHECK(p.fault == q.fault);
            CHECK(p.variant == q.variant);
            CHECK(p.r[2] == q.r[2]);
            CHECK(p.fault != Fault::EndlessLoopIf0);
            continue;
        }
        ring1_plans++;
        faults[u32(p.fault)]++;
    }
    for (u32 f = 0; f < kFaults; f++) {
        CHECK(faults[f] > ring1_plans / kFaults * 9 / 10);
        CHECK(faults[f] < ring1_plans / kFaults * 11 / 10);
    }
}

TEST_CASE("fault names", "[campaign]") {
    CHECK(std::string(fault_name(Fault::CodeBitFlip)) == "code-bitflip");
    CHECK(std::string(fault_name(Fault::ForeignCode)) == "foreign-code");
    CHECK(std::string(fault_name(Fault::EndlessLoopIf0)) == "loop-if0");
    CHECK(variant_count(Fault::EndlessLoopIf0) == 1);
    CHECK(variant_count(Fault::Count) == 0);
    CHECK(std::string(fault_name(Fault::Count)) == "?");
    CHECK(std::string(bad_selector_name(BadSel::NotPresent)) == "not-present");
}

TEST_CASE("encoders give the manual's bytes", "[campaign]") {
    CHECK(bytes(Asm().mov_eax(0x11223344).done()) == std::vector<u8>{0xB8, 0x44, 0x33, 0x22, 0x11});
    CHECK(bytes(Asm().mov_esp(8).done()) == std::vector<u8>{0xBC, 8, 0, 0, 0});
    CHECK(bytes(Asm().mov_sreg_ax(Sreg::Ds).done()) == std::vector<u8>{0x8E, 0xD8});  // mov ds, ax
    CHECK(bytes(Asm().mov_sreg_ax(Sreg::Ss).done()) == std::vector<u8>{0x8E, 0xD0});
    CHECK(bytes(Asm().mov_sreg_ax(Sreg::Gs).done()) == std::vector<u8>{0x8E, 0xE8});
    CHECK(bytes(Asm().mov_sreg_ax(Sreg::Cs).done()) == std::vector<u8>{0x8E, 0xC8});  // #UD
    CHECK(bytes(Asm().prefix(Sreg::Es).prefix(Sreg::Ss).prefix(Sreg::Fs).done()) == std::vector<u8>{0x26, 0x36, 0x64});
    CHECK(bytes(Asm().load_eax(0x10).store_eax(0x20).done()) ==
          std::vector<u8>{0xA1, 0x10, 0, 0, 0, 0xA3, 0x20, 0, 0, 0});
    CHECK(bytes(Asm().jmp_eax().jmp_self().ret().done()) == std::vector<u8>{0xFF, 0xE0, 0xEB, 0xFE, 0xC3});
    CHECK(bytes(Asm().far_jmp(0x58, 0x1234).done()) == std::vector<u8>{0xEA, 0x34, 0x12, 0, 0, 0x58, 0});
    CHECK(bytes(Asm().far_call(0x58, 0x1234).done()) == std::vector<u8>{0x9A, 0x34, 0x12, 0, 0, 0x58, 0});
    Asm big;  // never past the buffer
    for (int i = 0; i < 40; i++) big.byte(0x90);
    CHECK(big.done().len == sizeof(Stub{}.bytes));
}

TEST_CASE("limit stubs aim past the limit, never inside", "[campaign]") {
    StubContext c = ctx();
    for (u32 r : {0u, 1u, 2u, 4095u, 0x7fffffffu, 0xfffffffdu, 0xffffffffu}) {
        for (u32 v = 0; v < 4; v++) {
            Stub s = build_stub(with(Fault::ReadPastLimit, v, r), c);
            u32 at = v == 3 ? 2 : 1;  // ES prefix first
            if (v == 3) CHECK(s.bytes[0] == 0x26);
            CHECK(s.bytes[at - 1] == 0xA1);
            u32 disp = le32(s, at);
            CHECK(u64(disp) + 3 > c.data_limit);  // the dword's last byte is past the limit
            CHECK(disp <= 0xFFFFFFFCu);
            CHECK(s.bytes[s.len - 1] == 0xC3);
        }
        for (u32 v = 0; v < 3; v++) {
            Stub w = build_stub(with(Fault::WritePastLimit, v, r), c);
            CHECK(w.bytes[0] == 0xA3);
            CHECK(u64(le32(w, 1)) + 3 > c.data_limit);
            Stub ss = build_stub(with(Fault::StackPastLimit, v, r), c);
            CHECK(ss.bytes[0] == 0x36);
            CHECK(ss.bytes[1] == 0xA1);
            CHECK(u64(le32(ss, 2)) + 3 > c.data_limit);
            Stub j = build_stub(with(Fault::JumpPastLimit, v, r), c);
            CHECK(j.bytes[0] == 0xB8);
            CHECK(le32(j, 1) >= c.code_size);
            CHECK(bytes(j).size() == 7);
            CHECK(j.bytes[5] == 0xFF);
        }
    }
}

TEST_CASE("the other stubs", "[campaign]") {
    StubContext c = ctx();
    CHECK(bytes(build_stub(with(Fault::InvalidOpcode, 0), c)) == std::vector<u8>{0x0F, 0x0B});
    CHECK(bytes(build_stub(with(Fault::InvalidOpcode, 1), c)) == std::vector<u8>{0xF0, 0x90});
    CHECK(bytes(build_stub(with(Fault::DivideError, 0), c)) == std::vector<u8>{0x31, 0xC9, 0xF7, 0xF1});
    CHECK(bytes(build_stub(with(Fault::EndlessLoop, 0), c)) == std::vector<u8>{0xEB, 0xFE});
    CHECK(bytes(build_stub(with(Fault::EndlessLoop, 1), c)) == std::vector<u8>{0xF3, 0x90, 0xEB, 0xFC});
    CHECK(bytes(build_stub(with(Fault::EndlessLoopIf0, 0), c)) == std::vector<u8>{0xFA, 0xEB, 0xFE});  // cli; jmp $
    // Flips and slot corruption are data patches: no stub.
    CHECK(build_stub(with(Fault::CodeBitFlip, 0), c).len == 0);
    CHECK(build_stub(with(Fault::DataByteFlip, 0), c).len == 0);
    CHECK(build_stub(with(Fault::Pointer, 3), c).len == 0);
    // A wild write "inside its own data" stays inside.
    for (u32 r : {0u, 12345u, 0xffffffffu}) {
        Stub s = build_stub(with(Fault::Pointer, 1, r), c);
        CHECK(s.bytes[0] == 0xA3);
        CHECK(le32(s, 1) + 3 <= c.data_limit);
    }
    // Foreign code: a far transfer to the other driver's selector; offsets up to 256 past its end.
    for (u32 r : {0u, 0x7ffu, 0x8ffu, 0xffffffffu}) {
        Stub j = build_stub(with(Fault::ForeignCode, 0, r), c);
        CHECK(j.bytes[0] == 0xEA);
        CHECK(le32(j, 1) < c.foreign_code_size + 256);
        CHECK((j.bytes[5] | j.bytes[6] << 8) == 0x58);
        CHECK(build_stub(with(Fault::ForeignCode, 1, r), c).bytes[0] == 0x9A);
    }
    // Stack: overflow runs ESP off the bottom; a corrupted return address stays below 2 x code.
    Stub o = build_stub(with(Fault::Stack, 2), c);
    CHECK(bytes(o) == std::vector<u8>{0xBC, 8, 0, 0, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0, 0x6A, 0});
    Stub ra = build_stub(with(Fault::Stack, 0), c);
    CHECK(bytes(ra).size() == 8);
    CHECK(le32(ra, 3) < 2 * c.code_size);
}

TEST_CASE("bad selector loads: the register, then a read through it; never SS for a foreign one", "[campaign]") {
    StubContext c = ctx();
    Stub ds = build_stub(with(Fault::BadSelector, 2, 0x123), c);
    CHECK(bytes(ds) == std::vector<u8>{0xB8, 0x10, 0, 0, 0, 0x8E, 0xD8, 0x3E, 0xA1, 0x23, 0x01, 0, 0, 0xC3});
    Stub ss = build_stub(with(Fault::BadSelector, 1), c);
    CHECK(bytes(ss) == std::vector<u8>{0xB8, 0x10, 0, 0, 0, 0x8E, 0xD0, 0xC3});
    c.bad_selector_foreign = true;
    Stub fs = build_stub(with(Fault::BadSelector, 1, 0x5), c);
    CHECK(bytes(fs) == std::vector<u8>{0xB8, 0x10, 0, 0, 0, 0x8E, 0xE0, 0x64, 0xA1, 0x05, 0, 0, 0, 0xC3});
    for (u32 r = 0; r < 100; r++) CHECK(u32(bad_selector_kind(with(Fault::BadSelector, 0, r))) < u32(BadSel::Count));
}
