; Call-gate entry into drivers and kernel services (docs/drivers.md, "Gates and stubs").
;
; Every export has an entry stub here; its call gate (DPL 0) and its patched direct far calls both
; land on the stub, which pushes the export id and joins gh_gate_common. The common path records
; the caller in a kernel-side CallRecord (gate_layout.hpp), takes a stack for the callee (a free
; slot of the driver's pool, or the thread's kernel stack for kernel services), switches SS:ESP
; with LSS and DS/ES to the callee's, and far-calls the callee's `call ebx; retf` trampoline.
; (EBP-based operands name DS explicitly: their default segment is SS, which is the caller's or
; the callee's stack here, not the kernel's data.)
; The return path undoes it from the record, so a callee that smashed its own stack cannot
; redirect the return. Call gates leave IF alone: the stub works with IF = 0 and runs the callee
; with the caller's IF. Arguments EAX, EDX, ECX; results EAX (EDX); EBX, ESI, EDI, EBP preserved.
bits 32
%include "src/drv/gate_layout.inc"

extern gh_current_calls, gh_drivers, gh_exports, gh_tick_count
EFLAGS_IF equ 0x200

section .text

%macro ENTRY_STUB 1
gh_entry_stub_%1:
    push dword %1
    jmp gh_gate_common
%endmacro

%assign i 0
%rep MAX_EXPORT_IDS
    ENTRY_STUB i
  %assign i i + 1
%endrep

gh_gate_common:                         ; caller's stack: export id, return EIP, return CS
    pushfd
    cli
    push ds
    push ebx
    mov bx, KERNEL_DS
    mov ds, bx
    mov ebx, [gh_current_calls]
    mov ebx, [ebx + TC_DEPTH]
    cmp ebx, MAX_DEPTH
    jae gh_gate_too_deep
    imul ebx, ebx, REC_SIZE
    add ebx, [gh_current_calls]
    add ebx, TC_REC                     ; EBX = this call's record
    mov [ebx + REC_ARG_A], eax
    mov [ebx + REC_ARG_B], edx
    mov [ebx + REC_ARG_C], ecx
    mov [ebx + REC_ESI], esi
    mov [ebx + REC_EDI], edi
    mov [ebx + REC_EBP], ebp
    pop dword [ebx + REC_EBX]
    pop dword [ebx + REC_CALLER_DS]
    pop dword [ebx + REC_CALLER_EFLAGS]
    pop dword [ebx + REC_EXPORT]        ; the caller's stack now ends at the return CS:EIP
    mov [ebx + REC_CALLER_ESP], esp
    mov dword [ebx + REC_CALLER_SS], 0
    mov [ebx + REC_CALLER_SS], ss
    mov dword [ebx + REC_CALLER_ES], 0
    mov [ebx + REC_CALLER_ES], es

    mov esi, [gh_current_calls]         ; ESI = the thread's calls
    mov eax, [esi + TC_KSTACK_ESP]
    mov [ebx + REC_PREV_KSTACK], eax
    mov ax, ss
    cmp ax, KERNEL_DS
    jne .caller_not_kernel
    mov [esi + TC_KSTACK_ESP], esp      ; kernel code is using its stack down to here
.caller_not_kernel:
    mov eax, [ebx + REC_EXPORT]
    mov ecx, [gh_exports + eax * EXP_SIZE + EXP_DRIVER]
    mov edi, [gh_exports + eax * EXP_SIZE + EXP_CODE]   ; EDI = the function's code offset
    mov [ebx + REC_DRIVER], ecx
    imul ebp, ecx, DRV_SIZE
    add ebp, gh_drivers                 ; EBP = the callee's DriverRt
    mov eax, -ERR_UNSUPPORTED
    cmp dword [ds:ebp + DRV_UP], 0
    je gh_gate_refuse
    test ecx, ecx
    jz .callee_kernel
    mov eax, [ds:ebp + DRV_BUSY]           ; take the first free stack slot
    not eax
    bsf ecx, eax
    mov eax, -ERR_BUSY
    jz gh_gate_refuse
    cmp ecx, [ds:ebp + DRV_SLOT_COUNT]
    jae gh_gate_refuse
    bts [ds:ebp + DRV_BUSY], ecx
    mov [ebx + REC_SLOT], ecx
    inc ecx
    imul ecx, [ds:ebp + DRV_SLOT_BYTES]    ; the slot's top, as an offset in the driver's DS
    mov [ebx + REC_NEW_ESP], ecx
    mov eax, [ds:ebp + DRV_DS]
    mov [ebx + REC_NEW_SS], eax
    jmp .switch
.callee_kernel:
    mov dword [ebx + REC_SLOT], NO_SLOT
    mov eax, [esi + TC_KSTACK_ESP]
    mov [ebx + REC_NEW_ESP], eax
    mov dword [ebx + REC_NEW_SS], KERNEL_DS
.switch:
    inc dword [esi + TC_DEPTH]          ; the record is live from here on
    mov eax, [gh_tick_count]
    mov [ebx + REC_START_TICK], eax
    lss esp, [ebx + REC_NEW_ESP]        ; one instruction: never a moment with a mixed SS:ESP
    mov es, [ebx + REC_NEW_SS]
    push dword [ds:ebp + DRV_CS]           ; far pointer to the trampoline, for the call below
    push dword [ds:ebp + DRV_TRAMPOLINE]
    mov eax, [ebx + REC_CALLER_EFLAGS]  ; the callee gets the caller's IF and nothing else:
    and eax, EFLAGS_IF                  ; DF, TF, NT, AC cleared (a call gate clears none of them)
    or eax, 2
    push eax
    mov eax, [ebx + REC_ARG_A]
    mov edx, [ebx + REC_ARG_B]
    mov ecx, [ebx + REC_ARG_C]
    mov ds, [ebx + REC_NEW_SS]
    mov ebx, edi
    popfd                               ; the callee runs with the caller's IF, other flags clean
    call far [esp]
    add esp, 8

    cli                                 ; back from the callee: unwind its record
    mov bx, KERNEL_DS
    mov ds, bx
    mov esi, [gh_current_calls]
    mov ebx, [esi + TC_DEPTH]
    dec ebx
    mov [esi + TC_DEPTH], ebx
    imul ebx, ebx, REC_SIZE
    lea ebx, [esi + TC_REC + ebx]
    mov ecx, [ebx + REC_DRIVER]
    imul ecx, ecx, DRV_SIZE
    inc dword [gh_drivers + ecx + DRV_CALLS]
    mov edi, [ebx + REC_SLOT]
    cmp edi, NO_SLOT
    je .restore_kstack
    btr [gh_drivers + ecx + DRV_BUSY], edi
.restore_kstack:
    mov ecx, [ebx + REC_PREV_KSTACK]
    mov [esi + TC_KSTACK_ESP], ecx
global gh_abort_return
gh_abort_return:                        ; EBX = record, EAX (EDX) = result, IF = 0
    lss esp, [ebx + REC_CALLER_ESP]
    mov es, [ebx + REC_CALLER_ES]
    mov esi, [ebx + REC_ESI]
    mov edi, [ebx + REC_EDI]
    mov ebp, [ebx + REC_EBP]
    push dword [ebx + REC_CALLER_EFLAGS]
    push dword [ebx + REC_CALLER_DS]
    mov ebx, [ebx + REC_EBX]
    pop ds
    popfd
    retf

gh_gate_refuse:                              ; before the record went live: give EAX back as the result
    mov ecx, [ebx + REC_PREV_KSTACK]
    mov [esi + TC_KSTACK_ESP], ecx
    jmp gh_abort_return

gh_gate_too_deep:                              ; no record to use: unwind by hand
    pop ebx
    pop ds
    popfd
    add esp, 4
    mov eax, -ERR_BUSY
    retf

; u32 gh_call_gate(u32 gate_selector, u32 a, u32 b, u32 c): kernel code calling an export. Only
; kernel code calls it, on the kernel stack, where SS = DS = the flat kernel data selector.
global gh_call_gate
gh_call_gate:
    push ebp
    mov ebp, esp
    push dword [ebp + 8]                ; far pointer: selector above offset
    push dword 0
    mov eax, [ebp + 12]
    mov edx, [ebp + 16]
    mov ecx, [ebp + 20]
    call far [esp]
    mov esp, ebp
    pop ebp
    ret

section .rodata
global gh_entry_stubs
gh_entry_stubs:
%assign i 0
%rep MAX_EXPORT_IDS
    dd gh_entry_stub_ %+ i
  %assign i i + 1
%endrep

section .text
; Kernel services are entered like driver exports: EBX = the service, on the kernel stack.
global gh_kernel_trampoline
gh_kernel_trampoline:
    call ebx
    retf
