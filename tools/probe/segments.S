/* Silicon probe (issue 6): the timed loops and the code that runs in the LDT code segment.
 * 32-bit, cdecl: every loop is `void probe_xxx(uint32_t n, ...)` and performs n operations.
 * Own code, written for Gatehouse; mirrors the kernel stub in src/drv/gate.asm as described in
 * docs/drivers.md ("Gates and stubs"), minus the call-gate descriptor check. */
#include "tools/probe/layout.h"

        .text
        .code32

/* ---------------------------------------------------------------------------------------------
 * The blob: code reached through the LDT code selector. CS base = probe_blob_start, so every
 * offset below is relative to it; only relative jumps/calls inside the blob. */
        .p2align 6
        .globl probe_blob_start
probe_blob_start:

/* far_ret: the null far target. */
blob_far_ret:
        lret

/* gate_stub: the Gatehouse gate sequence in ring 3. Entered by a far call with the caller's flat
 * DS/ES/SS. Records the caller's SS:ESP, DS, ES in the driver's data segment, switches SS:ESP with
 * one LSS and DS/ES to the driver's data, calls a null function, unwinds from the record and
 * far-returns. Clobbers eax, ebx, esi, edi. */
        .p2align 4
blob_gate_stub:
        movl    %esp, %ebx
        movw    %ss, %si
        movw    %ds, %di
        movw    $PROBE_LDT_DATA_SEL, %ax
        movw    %ax, %ds
        movl    %ebx, PROBE_REC_ESP
        movw    %si, PROBE_REC_SS
        movw    %di, PROBE_REC_DS
        movw    %es, PROBE_REC_ES
        movw    %ax, %es
        lss     PROBE_STACK_PTR, %esp
        call    blob_null_fn
        lss     PROBE_REC_ESP, %esp
        movw    PROBE_REC_ES, %es
        movw    PROBE_REC_DS, %ds
        lret

blob_null_fn:
        ret

/* fault_in_stub: like gate_stub, but once on the driver stack it reads past the data segment's
 * limit: #GP with SS:ESP on the LDT stack. Used by --inject-fault to show the SIGSEGV handler
 * (on its sigaltstack) recovering. Never returns normally. */
        .p2align 4
blob_fault_in_stub:
        movl    %esp, %ebx
        movw    %ss, %si
        movw    %ds, %di
        movw    $PROBE_LDT_DATA_SEL, %ax
        movw    %ax, %ds
        movl    %ebx, PROBE_REC_ESP
        movw    %si, PROBE_REC_SS
        movw    %di, PROBE_REC_DS
        movw    %es, PROBE_REC_ES
        movw    %ax, %es
        lss     PROBE_STACK_PTR, %esp
        movl    0x00100000, %eax        /* far beyond the 8 KiB limit */
        lss     PROBE_REC_ESP, %esp
        movw    PROBE_REC_ES, %es
        movw    PROBE_REC_DS, %ds
        lret

        .globl probe_blob_end
probe_blob_end:

/* Offsets of the blob's entries, for far pointers built in C++. */
        .section .rodata
        .p2align 2
        .globl probe_off_far_ret, probe_off_gate_stub, probe_off_fault_in_stub
probe_off_far_ret:       .long blob_far_ret - probe_blob_start
probe_off_gate_stub:     .long blob_gate_stub - probe_blob_start
probe_off_fault_in_stub: .long blob_fault_in_stub - probe_blob_start
        .text

/* ---------------------------------------------------------------------------------------------
 * Timed loops. Each saves the callee-saved registers it (or the code it calls) uses. */

#define ENTER   pushl %ebp; pushl %ebx; pushl %esi; pushl %edi
#define LEAVE   popl %edi; popl %esi; popl %ebx; popl %ebp; ret
#define ARG(n)  (20 + 4 * (n))(%esp)   /* after ENTER: 4 pushes + return address */

near_target:
        ret

/* void probe_near_call(uint32_t n) */
        .globl probe_near_call
        .p2align 4
probe_near_call:
        ENTER
        movl    ARG(0), %ecx
        testl   %ecx, %ecx
        jz      2f
        .p2align 4
1:      call    near_target
        decl    %ecx
        jnz     1b
2:      LEAVE

/* void probe_far_call(uint32_t n, const void* m16_32) : lcall *(ptr) n times. */
        .globl probe_far_call
        .p2align 4
probe_far_call:
        ENTER
        movl    ARG(0), %ecx
        movl    ARG(1), %edx
        testl   %ecx, %ecx
        jz      2f
        .p2align 4
1:      lcall   *(%edx)
        decl    %ecx
        jnz     1b
2:      LEAVE

/* void probe_load_ds(uint32_t n, uint32_t sel) : mov sel -> DS n times, then restore DS. */
        .globl probe_load_ds
        .p2align 4
probe_load_ds:
        ENTER
        movl    ARG(0), %ecx
        movl    ARG(1), %eax
        movw    %ds, %bx
        testl   %ecx, %ecx
        jz      2f
        .p2align 4
1:      movw    %ax, %ds
        decl    %ecx
        jnz     1b
2:      movw    %bx, %ds
        LEAVE

/* void probe_load_fs(uint32_t n, uint32_t sel) */
        .globl probe_load_fs
        .p2align 4
probe_load_fs:
        ENTER
        movl    ARG(0), %ecx
        movl    ARG(1), %eax
        movw    %fs, %bx
        testl   %ecx, %ecx
        jz      2f
        .p2align 4
1:      movw    %ax, %fs
        decl    %ecx
        jnz     1b
2:      movw    %bx, %fs
        LEAVE

/* void probe_load_ss(uint32_t n, uint32_t sel) : sel must describe the same flat stack. */
        .globl probe_load_ss
        .p2align 4
probe_load_ss:
        ENTER
        movl    ARG(0), %ecx
        movl    ARG(1), %eax
        movw    %ss, %bx
        testl   %ecx, %ecx
        jz      2f
        .p2align 4
1:      movw    %ax, %ss
        decl    %ecx
        jnz     1b
2:      movw    %bx, %ss
        LEAVE

/* void probe_lsl(uint32_t n, uint32_t sel) */
        .globl probe_lsl
        .p2align 4
probe_lsl:
        ENTER
        movl    ARG(0), %ecx
        movl    ARG(1), %eax
        testl   %ecx, %ecx
        jz      2f
        .p2align 4
1:      lsll    %eax, %ebx
        decl    %ecx
        jnz     1b
2:      LEAVE

/* void probe_lar(uint32_t n, uint32_t sel) */
        .globl probe_lar
        .p2align 4
probe_lar:
        ENTER
        movl    ARG(0), %ecx
        movl    ARG(1), %eax
        testl   %ecx, %ecx
        jz      2f
        .p2align 4
1:      larl    %eax, %ebx
        decl    %ecx
        jnz     1b
2:      LEAVE

/* void probe_int80(uint32_t n, uint32_t nr) : int $0x80 with eax = nr, n times. */
        .globl probe_int80
        .p2align 4
probe_int80:
        ENTER
        movl    ARG(0), %ecx
        movl    ARG(1), %esi
        testl   %ecx, %ecx
        jz      2f
        .p2align 4
1:      movl    %esi, %eax
        pushl   %ecx
        int     $0x80
        popl    %ecx
        decl    %ecx
        jnz     1b
2:      LEAVE

/* void probe_vsyscall(uint32_t n, uint32_t nr, void* kernel_vsyscall) */
        .globl probe_vsyscall
        .p2align 4
probe_vsyscall:
        ENTER
        movl    ARG(0), %ecx
        movl    ARG(1), %esi
        movl    ARG(2), %edi
        testl   %ecx, %ecx
        jz      2f
        .p2align 4
1:      movl    %esi, %eax
        pushl   %ecx
        call    *%edi
        popl    %ecx
        decl    %ecx
        jnz     1b
2:      LEAVE

        .section .note.GNU-stack,"",@progbits
