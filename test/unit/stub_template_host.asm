; The driver-export stub template (src/drv/stub_template.inc) for the host unit tests: the same
; bytes and patch table as in the kernel, in .data (a PIE test binary relocates it), with stand-ins
; for the kernel symbols it names. Never run: test_stub_fill.cpp only copies and patches it.
bits 32
%include "src/drv/gate_layout.inc"
%define STUB_TEMPLATE_SECTION .data
%define STUB_NO_AREA
section .data
global gh_calls, gh_kernel_ds_word, gh_io_open, gh_call_guards, gh_gdt_current
align 16
gh_calls: times 16 db 0
gh_kernel_ds_word: dw KERNEL_DS
gh_io_open: dd 0
gh_call_guards: dd 0, 0, 0
gh_switch_io_ports_ptr: dd 0
gh_gdt_current: dd 0
tss_stand_in: times 104 db 0
TSS_ESP0_ADDR equ tss_stand_in + 4
section .text
gh_switch_io_ports: ret
%include "src/drv/stub_template.inc"
%include "src/drv/stub_template1.inc"

section .note.GNU-stack noalloc noexec nowrite progbits
