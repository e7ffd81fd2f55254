# Kernel sources the host unit tests compile (pure code: no hardware access).
UNIT_SRCS := src/lib/str.cpp src/boot/elf_check.cpp src/drv/image.cpp src/drv/audience.cpp src/drv/symbols.cpp src/drv/stub_fill.cpp seg/call_site.cpp src/proc/syscall_mech.cpp src/proc/user_image.cpp src/boot/cmdline.cpp src/boot/memmap.cpp src/arch/cpu_features.cpp \
	src/arch/fault_decode.cpp src/power/acpi_tables.cpp src/lib/demangle.cpp src/campaign/plan.cpp
