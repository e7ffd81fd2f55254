#include <catch2/catch.hpp>
#include <string>
#include "gdt/descriptor.hpp"
#include "gdt/layout.hpp"
#include "gdt/tss.hpp"

using namespace desc;

TEST_CASE("flat segments encode to the well-known values", "[descriptor]") {
    CHECK(segment(0, 0xFFFFFFFF, Kind::CodeRX, 0) == 0x00CF9A000000FFFFull);
    CHECK(segment(0, 0xFFFFFFFF, Kind::DataRW, 0) == 0x00CF92000000FFFFull);
    CHECK(segment(0, 0xFFFFFFFF, Kind::CodeRX, 3) == 0x00CFFA000000FFFFull);
    CHECK(segment(0, 0xFFFFFFFF, Kind::DataRW, 3) == 0x00CFF2000000FFFFull);
    CHECK(segment(0, 0xFFFFFFFF, Kind::CodeX, 0) == 0x00CF98000000FFFFull);
    CHECK(segment(0, 0xFFFFFFFF, Kind::DataRO, 0) == 0x00CF90000000FFFFull);
}

TEST_CASE("16-bit segments clear D/B", "[descriptor]") {
    CHECK(segment(0x10000, 0xFFFF, Kind::CodeRX, 0, false) == 0x00009A010000FFFFull);
}

TEST_CASE("byte and page granularity round-trip through decode", "[descriptor]") {
    struct { u32 base, limit, want_limit; bool g; } cases[] = {
        {0x00100000, 0, 0, false},
        {0x00100000, 15, 15, false},
        {0x12345678, 0xFFFFF, 0xFFFFF, false},
        {0x00400000, 0x100000, 0x0FFFFF, true},     // not a page multiple: rounded down
        {0x00400000, 0x1FFFFF, 0x1FFFFF, true},
        {0xC0000000, 0x3FFFFFFF, 0x3FFFFFFF, true},
        {0, 0xBFFFFFFF, 0xBFFFFFFF, true},
        {0, 0xFFFFFFFF, 0xFFFFFFFF, true},
    };
    for (auto& t : cases) {
        Decoded d = decode(segment(t.base, t.limit, Kind::DataRW, 2));
        INFO("base " << t.base << " limit " << t.limit);
        CHECK(d.base == t.base);
        CHECK(d.limit == t.want_limit);
        CHECK(d.g == t.g);
        CHECK(d.dpl == 2);
        CHECK(d.present);
        CHECK(d.s);
        CHECK(is_data(d));
        CHECK(!is_code(d));
        CHECK(d.limit <= t.limit);  // never grants more than asked
    }
}

TEST_CASE("system descriptors", "[descriptor]") {
    CHECK(tss_descriptor(0x00105000, 103) == 0x0000891050000067ull);
    CHECK(tss_descriptor(0x00105000, 103, true) == 0x00008B1050000067ull);
    CHECK(call_gate(0x0008, 0x00101234, 3) == 0x0010EC0000081234ull);
    CHECK(call_gate(0x0123, 0xDEADBEEF, 0, 2) == 0xDEAD8C020123BEEFull);
    CHECK(int_gate(0x0008, 0x00101234, 0) == 0x00108E0000081234ull);
    CHECK(trap_gate(0x0008, 0x00101234, 3) == 0x0010EF0000081234ull);
    CHECK(task_gate(0x0030, 0) == 0x0000850000300000ull);

    Decoded g = decode(call_gate(0x01F8, 0x00123456, 3, 0));
    CHECK(!g.s);
    CHECK(g.type == u8(SysType::CallGate32));
    CHECK(g.gate_selector == 0x01F8);
    CHECK(g.gate_offset == 0x00123456);
    CHECK(g.dpl == 3);
    CHECK(std::string(kind_name(g)) == "callgate");
}

TEST_CASE("kind names used by the GDT listing", "[descriptor]") {
    CHECK(std::string(kind_name(decode(segment(0, 0xFFF, Kind::CodeX, 0)))) == "code");
    CHECK(std::string(kind_name(decode(segment(0, 0xFFF, Kind::DataRO, 0)))) == "data");
    CHECK(std::string(kind_name(decode(tss_descriptor(0x1000, 103)))) == "tss");
    CHECK(std::string(kind_name(decode(tss_descriptor(0x1000, 103, true)))) == "tss-busy");
    CHECK(std::string(kind_name(decode(task_gate(0x30, 0)))) == "taskgate");
    CHECK(std::string(kind_name(decode(int_gate(0x8, 0, 0)))) == "system");
}

TEST_CASE("bits the CPU sets are ignored when comparing", "[descriptor]") {
    u64 code = segment(0, 0xFFFFFFFF, Kind::CodeRX, 0);
    CHECK(without_cpu_bits(code | (u64(kAccessed) << kTypeShift)) == code);
    CHECK(without_cpu_bits(tss_descriptor(0x1000, 103, true)) == tss_descriptor(0x1000, 103));
    CHECK(without_cpu_bits(call_gate(8, 0x1234, 3)) == call_gate(8, 0x1234, 3));
    // A different DPL is not a CPU-set bit.
    CHECK(without_cpu_bits(segment(0, 0xFFF, Kind::DataRW, 3)) != segment(0, 0xFFF, Kind::DataRW, 0));
}

TEST_CASE("fixed selectors follow the SYSENTER layout", "[gdt]") {
    CHECK(gdt::kKernelCS == 0x08);
    CHECK(gdt::kKernelDS == 0x10);
    CHECK(gdt::kUserCS == 0x1B);
    CHECK(gdt::kUserDS == 0x23);
    CHECK(gdt::kTss == 0x28);
    CHECK(gdt::kDfTss == 0x30);
    CHECK(gdt::selector(480, 3) == 0x0F03);
    CHECK(gdt::index_of(0x0F03) == 480);
    CHECK(sizeof(Tss) == 104);
}
