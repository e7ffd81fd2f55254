# Silicon probe (issue 6): far transfers vs paging IPC on the real CPU, from 32-bit Linux user space.
# Included by the top-level Makefile (BUILD, CXX come from there). See tools/probe/README.md.
#   make probe            build build/probe/gatehouse-probe and run it; CSV into bench/results/
#   make probe ITER=2000  fewer timed samples per case (default 20000)

PROBE_BIN      := $(BUILD)/probe/gatehouse-probe
PROBE_CPP      := tools/probe/probe.cpp tools/probe/stats.cpp tools/probe/table.cpp
PROBE_ASM      := tools/probe/segments.S
PROBE_OBJ      := $(PROBE_CPP:tools/probe/%.cpp=$(BUILD)/probe/%.o) $(PROBE_ASM:tools/probe/%.S=$(BUILD)/probe/%.S.o)
PROBE_CXXFLAGS := -m32 -O2 -std=c++20 -Wall -Wextra -Werror -fno-pie -I. -MMD -MP
PROBE_M32_OK   := $(BUILD)/probe/m32.ok
ITER           ?=
PROBE_OUT      ?= bench/results

# Pure sources (statistics, table/CSV formatting) also go into build/unit-tests.
UNIT_SRCS += tools/probe/stats.cpp tools/probe/table.cpp

.PHONY: probe
probe: $(PROBE_BIN)
	$(PROBE_BIN) $(if $(ITER),--iter $(ITER)) --out-dir $(PROBE_OUT)

# g++ -m32 must be able to link a hosted program (32-bit libc and libstdc++ from g++-multilib).
$(PROBE_M32_OK):
	@mkdir -p $(dir $@)
	@printf 'int main() { return 0; }\n' > $(BUILD)/probe/m32-check.cpp
	@if ! $(CXX) -m32 $(BUILD)/probe/m32-check.cpp -o $(BUILD)/probe/m32-check >$(BUILD)/probe/m32-check.log 2>&1; then \
		echo "probe: '$(CXX) -m32' cannot link a 32-bit program here (see $(BUILD)/probe/m32-check.log)."; \
		echo "probe: install the 32-bit runtime: apt-get install g++-multilib"; \
		exit 1; \
	fi
	@touch $@

$(BUILD)/probe/%.o: tools/probe/%.cpp | $(PROBE_M32_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(PROBE_CXXFLAGS) -c $< -o $@

$(BUILD)/probe/%.S.o: tools/probe/%.S | $(PROBE_M32_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(PROBE_CXXFLAGS) -c $< -o $@

$(PROBE_BIN): $(PROBE_OBJ)
	$(CXX) -m32 -no-pie $^ -o $@
