// The crayon matrix's expectations (src/selftest/crayon_matrix.hpp): one place says what each
// mode is meant to stop; the self-test runs the column that is built (ring 0).
#include <catch2/catch.hpp>
#include "src/selftest/crayon_matrix.hpp"

using namespace selftest;

TEST_CASE("the crayon matrix: ring 0 stops nothing, ring 1 the privileged cases, domains all", "[crayon]") {
    REQUIRE(kCrayonCaseCount == 12);
    u32 ring1_faults = 0;
    for (const CrayonCase& c : kCrayonCases) {
        CHECK(expect(c, drvabi::kRing0) == Expect::Succeeds);
        CHECK(expect(c, drvabi::kRing1Domains) == Expect::Faults);
        ring1_faults += expect(c, drvabi::kRing1) == Expect::Faults;
    }
    CHECK(ring1_faults == 8);
    // What only domains stop: another driver's data and code, and the user segments.
    CHECK(expect(kCrayonCases[kForeignData - 1], drvabi::kRing1) == Expect::Succeeds);
    CHECK(expect(kCrayonCases[kForeignCall - 1], drvabi::kRing1) == Expect::Succeeds);
    CHECK(expect(kCrayonCases[kUserData - 1], drvabi::kRing1) == Expect::Succeeds);
    CHECK(expect(kCrayonCases[kUndeclaredPort - 1], drvabi::kRing1) == Expect::Faults);
    CHECK(expect(kCrayonCases[kUnimportedExport - 1], drvabi::kRing1) == Expect::Faults);  // DPL-0 public gates
    CHECK(expect(kCrayonCases[kForeignImportGate - 1], drvabi::kRing1) == Expect::Succeeds);  // DPL 1: domains
    CHECK(column_built(drvabi::kRing0));
    CHECK(column_built(drvabi::kRing1));
    CHECK(column_built(drvabi::kRing1Domains));
}
