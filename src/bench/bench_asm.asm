; Benchmark bodies that need exact instruction sequences.
bits 32
KERNEL_CS equ 0x08

section .text
; void bench_near_target(): the near-call baseline's callee.
global bench_near_target
bench_near_target:
    ret

; u32 bench_direct_far(u32 stub_offset, u32 a): a direct far call to an entry stub, the form a
; patched RDOS call site takes (no call-gate descriptor check).
global bench_direct_far
bench_direct_far:
    push ebx
    push dword KERNEL_CS
    push dword [esp + 12]
    mov eax, [esp + 20]
    xor edx, edx
    xor ecx, ecx
    call far [esp]
    add esp, 8
    pop ebx
    ret
