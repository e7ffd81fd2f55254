; The driver-export stub template (src/drv/stub_template.inc) for the host unit tests: the same
; bytes and patch table as in the kernel, in .data (a PIE test binary relocates it), with stand-ins
; for the kernel symbols it names. Never run: test_stub_fill.cpp only copies and patches it.
bits 32
%include "src/drv/gate_layout.inc"
%define STUB_TEMPLATE_SECTION .data
%define STUB_NO_AREA
section .data
global gh_calls, gh_kernel_ds_word
align 16
gh_calls: times 16 db 0
gh_kernel_ds_word: dw KERNEL_DS
%include "src/drv/stub_template.inc"

section .note.GNU-stack noalloc noexec nowrite progbits
