; Benchmark bodies that need exact instruction sequences.
bits 32
%include "src/drv/gate_layout.inc"  ; KEEP_ACROSS_GATE, KERNEL_CS

section .text
; void bench_near_target(): the near-call baseline's callee.
global bench_near_target
bench_near_target:
    ret


; The measured loops of the kernel cases (docs/benchmarks.md, "The harness"): the operation n
; times in `op; dec dword [count]; jnz`, with IF = 0 so no interrupt falls into a batch;
; bench_loop_empty is the same loop without the operation, subtracted from each case. The far
; loops call through a far pointer in memory: a call gate (its selector) or an entry stub
; (0x08:offset, the form a patched RDOS site takes). A cross-segment call keeps only ESP, DS and
; the flags for its caller (the register rule, docs/drivers.md), so the loop keeps its count and
; the far pointer in memory, and this function saves what the C ABI wants kept.
%macro BENCH_LOOP 2                     ; name, operation
global %1
%1:                                     ; (u32 n, const void* far_pointer)
    KEEP_ACROSS_GATE
    cli
    mov eax, [esp + 28]
    mov [bench_count], eax
    mov eax, [esp + 32]
    test eax, eax
    jz %%go
    mov edx, [eax]
    mov [bench_far], edx
    mov edx, [eax + 4]
    mov [bench_far + 4], edx
%%go:
%%loop:
    %2
    dec dword [bench_count]
    jnz %%loop
    RESTORE_AFTER_GATE
    ret
%endmacro

BENCH_LOOP bench_loop_empty, {}
BENCH_LOOP bench_loop_near, {call bench_near_target}
BENCH_LOOP bench_loop_far, {call far [bench_far]}



; bench=trace (make bench-trace, docs/benchmarks.md "Against the goals"): the same operation once,
; between two Bochs magic breakpoints (`xchg bx, bx`, a no-op elsewhere; [bochs] magic_break).
; Bochs' debugger turns its instruction trace on at the first and off at the second, so the trace
; holds the operation's path and nothing of the loop around it. The second marker sits at the
; local label .trace_end: tools/bench_trace.py counts what is there as harness, not path.
%macro BENCH_TRACE 2                    ; name, operation
global %1
%1:                                     ; (const void* far_pointer)
    KEEP_ACROSS_GATE                    ; what the C ABI keeps and a far call does not
    cli
    mov edi, [esp + 28]
    xchg bx, bx                         ; begin marker
    %2
.trace_end:
    xchg bx, bx                         ; end marker
    RESTORE_AFTER_GATE
    ret
%endmacro

BENCH_TRACE bench_trace_near, {call bench_near_target}
BENCH_TRACE bench_trace_far, {call far [edi]}

section .bss
bench_count: resd 1
bench_far: resd 2
