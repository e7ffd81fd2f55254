# Gatehouse build. Everything lands in build/. `make run` and `make test` first install any
# missing Debian package (tools/setup-deps.sh).

BUILD    := build
CXX      := g++
NASM     := nasm

KERNEL_CXXFLAGS := -m32 -march=i486 -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-pic \
	-fno-threadsafe-statics -fno-stack-protector -mgeneral-regs-only -nostdlib -fno-asynchronous-unwind-tables \
	-O2 -g -Wall -Wextra -Werror -I. -MMD -MP
KERNEL_LDFLAGS  := -m32 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-T,src/kernel.ld -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
HOST_CXXFLAGS   := -m32 -std=c++20 -O1 -g -Wall -Wextra -Werror -I. -MMD -MP

KERNEL_CPP := $(sort $(shell find src gdt seg -name '*.cpp'))
KERNEL_ASM := $(sort $(shell find src gdt seg -name '*.asm'))
KERNEL_OBJ := $(KERNEL_CPP:%.cpp=$(BUILD)/k/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/k/%.asm.o)

# Drivers: each drivers/<name>/ (not lib/) links on its own at offset 0 (drivers/lib/driver.ld).
DRIVER_NAMES := $(sort $(filter-out lib,$(notdir $(patsubst %/,%,$(wildcard drivers/*/)))))
DRIVER_LIB_OBJ := $(BUILD)/k/drivers/lib/header.o $(BUILD)/k/src/lib/mem.o $(BUILD)/k/drivers/lib/crt.asm.o
# crayon (the crayon matrix's rule breaker) loads last: every other driver keeps the selectors and
# memory it had before crayon existed. A wandering fault's path depends on that layout: with crayon
# first, bochs-campaign-slice hung at seed 7, injection 2919 (contained in this order).
DRIVERS := $(patsubst %,$(BUILD)/drivers/%.drv,$(filter-out crayon,$(DRIVER_NAMES)) $(filter crayon,$(DRIVER_NAMES)))
DRIVER_CXXFLAGS := $(KERNEL_CXXFLAGS) -fno-toplevel-reorder

# User programs: each user/<name>/ (not lib/) is a static ELF at 4 MiB (user/lib/user.ld), or,
# with a user/<name>/link.ld (small servers: user/lib/small.ld), whatever that script says.
USER_NAMES := $(sort $(filter-out lib,$(notdir $(patsubst %/,%,$(wildcard user/*/)))))
USER_LIB_OBJ := $(BUILD)/k/user/lib/runtime.o $(BUILD)/k/user/lib/io.o $(BUILD)/k/user/lib/crt.asm.o \
	$(BUILD)/k/src/lib/format.o $(BUILD)/k/src/lib/str.o $(BUILD)/k/src/lib/result.o
USER_PROGS := $(USER_NAMES:%=$(BUILD)/user/%.elf)

include test/unit/sources.mk
# The silicon probe (issue 6): its own rules and pure sources for the unit tests.
-include tools/probe/probe.mk
UNIT_TESTS := $(sort $(wildcard test/unit/*.cpp))
UNIT_OBJ   := $(patsubst %.cpp,$(BUILD)/h/%.o,$(UNIT_TESTS) $(sort $(UNIT_SRCS) src/lib/format.cpp src/lib/result.cpp))

.PHONY: all kernel iso deps run bochs bochs-debug debug test unit-test boot-test bench bench-docs bench-trace fuzz campaign clean
all: kernel iso

kernel: $(BUILD)/kernel.elf $(DRIVERS) $(USER_PROGS) $(BUILD)/disk.img

$(BUILD)/disk.img: tools/mkdisk.sh
	@mkdir -p $(dir $@)
	tools/mkdisk.sh $@ 128
iso: $(BUILD)/gatehouse.iso

$(BUILD)/k/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(KERNEL_CXXFLAGS) -c $< -o $@

$(BUILD)/k/drivers/%.o: drivers/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(DRIVER_CXXFLAGS) -c $< -o $@

# Test fixtures: drivers built like real ones but only for the boot tests.
$(BUILD)/k/test/fixtures/%.o: test/fixtures/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(DRIVER_CXXFLAGS) -c $< -o $@

$(BUILD)/fixtures/badinit.drv: $(BUILD)/k/test/fixtures/badinit/badinit.o $(DRIVER_LIB_OBJ) drivers/lib/driver.ld
	@mkdir -p $(dir $@)
	$(CXX) -m32 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-T,drivers/lib/driver.ld -Wl,-z,noexecstack \
		$(filter %.o,$^) -o $@

# Its port list overlaps: the loader refuses it (qemu-bad-driver-images).
$(BUILD)/fixtures/badports.drv: $(BUILD)/k/test/fixtures/badports/badports.o $(DRIVER_LIB_OBJ) drivers/lib/driver.ld
	@mkdir -p $(dir $@)
	$(CXX) -m32 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-T,drivers/lib/driver.ld -Wl,-z,noexecstack \
		$(filter %.o,$^) -o $@

$(BUILD)/k/user/%.o: user/%.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(DRIVER_CXXFLAGS) -c $< -o $@

.SECONDEXPANSION:
$(BUILD)/user/%.elf: $$(addprefix $(BUILD)/k/,$$(subst .cpp,.o,$$(wildcard user/$$*/*.cpp)) $$(subst .asm,.asm.o,$$(wildcard user/$$*/*.asm))) $(USER_LIB_OBJ) user/lib/user.ld user/lib/small.ld
	@mkdir -p $(dir $@)
	$(CXX) -m32 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-T,$(or $(wildcard user/$*/link.ld),user/lib/user.ld) -Wl,-z,noexecstack \
		$(filter %.o,$^) -o $@
	@tools/check-486.sh $@

$(BUILD)/drivers/%.drv: $$(addprefix $(BUILD)/k/,$$(subst .cpp,.o,$$(wildcard drivers/$$*/*.cpp))) $(DRIVER_LIB_OBJ) drivers/lib/driver.ld
	@mkdir -p $(dir $@)
	$(CXX) -m32 -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-T,drivers/lib/driver.ld -Wl,-z,noexecstack \
		$(filter %.o,$^) -o $@
	@tools/check-486.sh $@

# NASM's -MD records no %include when a %rep count is an `equ` (its dependency pass cannot
# evaluate it), so every assembly object depends on every include file as well.
ASM_INC := $(shell find src gdt seg user drivers test -name '*.inc')
$(BUILD)/k/%.asm.o: %.asm $(ASM_INC)
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -I. -MD $(@:.o=.d) -MP $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJ) src/kernel.ld
	$(CXX) $(KERNEL_LDFLAGS) $(KERNEL_OBJ) -o $@
	@tools/check-486.sh $@

$(BUILD)/gatehouse.iso: $(BUILD)/kernel.elf $(DRIVERS) $(USER_PROGS) $(BUILD)/disk.img tools/mkiso.sh iso/grub.cfg.in
	MODULES="$(DRIVERS) $(USER_PROGS) $(BUILD)/disk.img" tools/mkiso.sh $< $@

$(BUILD)/h/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(HOST_CXXFLAGS) -c $< -o $@

$(BUILD)/h/%.asm.o: %.asm $(ASM_INC)
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -I. -MD $(@:.o=.d) -MP $< -o $@

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/h/test/unit/stub_template_host.asm.o
	$(CXX) -m32 $^ -o $@

deps:
	@tools/setup-deps.sh

# Boot in QEMU (default) or Bochs, headless, serial on the terminal. See docs/running.md.
# GNU make itself can only exit 0 or 2: the verdict's own code (1 FAIL, 2 TIMEOUT, 3 TRIPLE,
# 4 NOVERDICT) is in make's "Error N" line and the runner's last line; tools/run-emu.sh exits with it.
run: deps kernel
	@tools/run-emu.sh

bochs: deps iso
	@echo "make bochs: Bochs' debugger is on this terminal (type c to boot); the screen and keyboard are on"
	@echo "  VNC localhost:5900 (or the next free port: see build/bochs.log); the kernel's serial output goes"
	@echo "  to build/bochs-serial.txt (tail -f it); for the shell on this terminal use make run EMU=bochs"
	@bochs -q -f bochsrc

bochs-debug: deps kernel
	@tools/bochs-oracle.sh --annotate

debug: deps iso
	@tools/debug-qemu.sh

# The benchmark in Bochs and QEMU -icount, the silicon probe, CSV, chart, benchmarks.md: under
# build/bench/ (the checkout stays clean); bench-docs rewrites bench/results/ and docs/benchmarks.md.
bench: deps kernel
	@tools/bench.sh

bench-docs: deps kernel
	@DOCS=1 tools/bench.sh

# The per-phase breakdown of each path from a Bochs instruction trace (docs/benchmarks.md, "Against
# the goals"): build/bench/trace-breakdown.md and the tables on the terminal; bench-docs runs it too.
bench-trace: deps kernel
	@tools/bench-trace.sh

# A long run of the ring-3 system-call fuzzer: make fuzz N=1000000 SEED=7 [EMU=bochs CPU=.. SYSCALL=gate AVOID=..]
fuzz: deps kernel
	@N="$(N)" SEED="$(SEED)" EMU="$(EMU)" CPU="$(CPU)" SYSCALL="$(SYSCALL)" AVOID="$(AVOID)" tools/fuzz.sh

# The driver fault-injection campaign in Bochs (docs/reliability.md): make campaign N=100000 SEED=1
# [CHUNK=.. CPU=..]; crashes and hangs are found, counted and skipped. Prints the table.
campaign: deps kernel
	@python3 tools/campaign.py $(or $(N),10000) $(or $(SEED),1)

unit-test: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

boot-test: kernel
	test/boot/run.sh

test: deps
	@$(MAKE) --no-print-directory kernel $(BUILD)/unit-tests $(BUILD)/fixtures/badinit.drv $(BUILD)/fixtures/badports.drv
	@tools/test-all.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
