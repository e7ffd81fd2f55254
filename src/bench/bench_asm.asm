; Benchmark bodies that need exact instruction sequences.
bits 32
KERNEL_CS equ 0x08

section .text
; void bench_near_target(): the near-call baseline's callee.
global bench_near_target
bench_near_target:
    ret


; The measured loops of the kernel cases (docs/benchmarks.md, "The harness"): the operation n
; times in `op; dec esi; jnz`, with IF = 0 so no interrupt falls into a batch; bench_loop_empty is
; the same loop without the operation, subtracted from each case. The far loops call through a
; far pointer in memory: a call gate (its selector) or an entry stub (0x08:offset, the form a
; patched RDOS site takes). The callee may clobber EAX, ECX, EDX; ESI, EDI survive (gate ABI).
%macro BENCH_LOOP 2                     ; name, operation
global %1
%1:                                     ; (u32 n, const void* far_pointer)
    push esi
    push edi
    pushfd
    cli
    mov esi, [esp + 16]
    mov edi, [esp + 20]
%%loop:
    %2
    dec esi
    jnz %%loop
    popfd
    pop edi
    pop esi
    ret
%endmacro

BENCH_LOOP bench_loop_empty, {}
BENCH_LOOP bench_loop_near, {call bench_near_target}
BENCH_LOOP bench_loop_far, {call far [edi]}


; bench=trace (make bench-trace, docs/benchmarks.md "Against the goals"): the same operation once,
; between two Bochs magic breakpoints (`xchg bx, bx`, a no-op elsewhere; [bochs] magic_break).
; Bochs' debugger turns its instruction trace on at the first and off at the second, so the trace
; holds the operation's path and nothing of the loop around it. The second marker sits at the
; local label .trace_end: tools/bench_trace.py counts what is there as harness, not path.
%macro BENCH_TRACE 2                    ; name, operation
global %1
%1:                                     ; (const void* far_pointer)
    push esi
    push edi
    pushfd
    cli
    mov edi, [esp + 16]
    xchg bx, bx                         ; begin marker
    %2
.trace_end:
    xchg bx, bx                         ; end marker
    popfd
    pop edi
    pop esi
    ret
%endmacro

BENCH_TRACE bench_trace_near, {call bench_near_target}
BENCH_TRACE bench_trace_far, {call far [edi]}
