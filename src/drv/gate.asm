; Call-gate entry into drivers and kernel services (docs/drivers.md, "Gates and stubs").
;
; A driver export's call gate (DPL 0) and its patched direct far calls both land on that export's
; stub, a copy of src/drv/stub_template.inc the kernel made for it (the fast path, with the
; driver's selectors and stack in immediates). Kernel services (exports of the kernel itself,
; called by drivers) have static stubs here that join gh_kernel_common: they run on the thread's
; kernel stack, below the newest kernel frames a call record names.
; (EBP-based operands name DS explicitly: their default segment is SS.)
bits 32
%include "src/drv/gate_layout.inc"

extern gh_calls, gh_call_guards, gh_exports, gh_io_open, gh_switch_io_ports, _ZN3tss9main_taskE, gh_gdt_current
extern gh_drivers
TSS_ESP0_ADDR equ _ZN3tss9main_taskE + 4  ; tss::main_task.tss.esp0 (gdt/tss.hpp: the Tss at offset 0)
section .rodata
global gh_kernel_ds_word
gh_kernel_ds_word: dw KERNEL_DS          ; for `mov ds, [cs:...]`: a segment load that needs no register
align 4
gh_switch_io_ports_ptr: dd gh_switch_io_ports  ; for the copied ring-1 stubs' slow path

%include "src/drv/stub_template.inc"
%include "src/drv/stub_template1.inc"

section .text

%macro KERNEL_STUB 1
gh_kernel_stub_%1:
    mov esi, %1                         ; ESI is not preserved across a gate (the register rule)
    jmp gh_kernel_common
%endmacro

%assign i 0
%rep MAX_EXPORT_IDS
    KERNEL_STUB i
  %assign i i + 1
%endrep

; Kernel service ESI, called from a driver (or from kernel code through its gate). The slow path:
; the record is written with IF = 0, and the service runs with the caller's IF.
gh_kernel_common:                       ; caller's stack: return EIP, return CS
    push ds
    pushfd
    cli
    mov ds, [cs:gh_kernel_ds_word]
    mov ebx, [gh_calls + CALLS_TOP]
    cmp ebx, KERNEL_ENTRY_LIMIT * REC_SIZE
    jae .too_deep
    mov ebp, [esp]                      ; the caller's EFLAGS (SS: still the caller's stack)
    add esp, 4                          ; the record points at the caller's DS, as for drivers
    add dword [gh_calls + CALLS_TOP], REC_SIZE
    mov [gh_calls + CALLS_REC + REC_CALLER_ESP + ebx], esp
    mov [gh_calls + CALLS_REC + REC_CALLER_SS + ebx], ss
    mov [gh_calls + CALLS_REC + REC_EXPORT + ebx], esi  ; ticks = 0 (ESI < 256)
    mov [gh_calls + CALLS_REC + REC_PORTS + ebx], ebp   ; the caller's EFLAGS, while EBP walks
    mov di, ss
    cmp di, KERNEL_DS
    je .on_kernel_stack                 ; kernel code called through the gate: stay where we are
    mov edi, ebx                        ; else below the newest kernel frames a record names
    NEWEST_KERNEL_RECORD edi, ebp, .no_kernel_frames, ds
    lss esp, [gh_calls + CALLS_REC + REC_CALLER_ESP + edi]
    sub esp, KSTACK_MARGIN
    jmp .on_kernel_stack
.no_kernel_frames:                      ; a driver runs only inside a call from the kernel: cannot
    mov word [kernel_stack_switch + 4], KERNEL_DS   ; happen, but do not crash on it
    mov dword [kernel_stack_switch], gh_kernel_emergency_stack_top
    lss esp, [kernel_stack_switch]
.on_kernel_stack:
    mov ebp, [gh_calls + CALLS_REC + REC_PORTS + ebx]
    mov es, [cs:gh_kernel_ds_word]
    shl esi, 4                          ; EXP_SIZE
    push ebp
    popfd                               ; the caller's IF (ring-0 callers keep the other flags clean)
    call [gh_exports + esi + EXP_CODE]  ; regparm(3): EAX, EDX, ECX in, EAX (EDX) out
    cli
    mov ebx, [gh_calls + CALLS_TOP]
    sub ebx, REC_SIZE
    lss esp, [gh_calls + CALLS_REC + REC_CALLER_ESP + ebx]
    mov [gh_calls + CALLS_TOP], ebx
    sub esp, 4
    mov [esp], ebp                      ; the caller's EFLAGS again, on its stack (SS-relative)
    popfd
    pop ds
    retf
.too_deep:
    mov eax, -ERR_BUSY
    popfd
    pop ds
    retf

; Back from a ring-1 callee: its thunk's `call far` through the DPL-1 return gate lands here at
; CPL 0 on the stack TSS.esp0 named, which the stub set right below its own frame (the old value
; on top of it). 10 instructions: the old esp0 back, the caller's I/O ports back if the callee
; ran with others, then the caller's SS:ESP from the record, and the far return (to CPL 0, or
; out to a ring-1 caller).
global gh_ring1_back, gh_ring1_back_end
gh_ring1_back:                          ; [esp] = EIP, CS, ESP, SS of the callee; [esp + 16] = old esp0
    mov ds, [cs:gh_kernel_ds_word]
    mov ebx, [gh_calls + CALLS_TOP]
    mov ecx, [esp + 16]
    mov [TSS_ESP0_ADDR], ecx
    mov esi, [gh_calls + CALLS_REC - REC_SIZE + REC_PORTS + ebx]
    cmp esi, [gh_io_open]
    jne .ports
.ports_ok:                              ; the record is released before the caller's stack is
    sub dword [gh_calls + CALLS_TOP], REC_SIZE      ; loaded: a trap there lays its frame where
    lss esp, [gh_calls + CALLS_REC - REC_SIZE + REC_CALLER_ESP + ebx]  ; this entry kept its esp0
    pop ds                              ; (and image), which an abort must then not read (found
    retf                                ; as a #PF panic at gh_abort_return's LGDT: campaign seed 30)
.ports:
    push eax
    push edx
    push esi
    call gh_switch_io_ports             ; cdecl; EBX survives it
    add esp, 4
    pop edx
    pop eax
    jmp .ports_ok

; Back from a callee in a GDT domain: as gh_ring1_back, and the caller's GDT image loaded again
; (saved by the domain stub below the old esp0), and ES, FS, GS cleared: nothing the callee loaded
; stays cached in them for the caller (docs/drivers.md, "Ring 1 + domains").
global gh_domain_back
gh_domain_back:                         ; [esp] = EIP, CS, ESP, SS; [esp + 16] = esp0, [esp + 20] = image
    mov ds, [cs:gh_kernel_ds_word]
    xor ecx, ecx                        ; ES, FS, GS cleared before the caller's image is loaded: an
    mov es, cx                          ; IRQ right after the LGDT would bring back the callee's
    mov fs, cx                          ; selectors, hidden there (#NP at the trap's exit; found by
    mov gs, cx                          ; the domains campaign slice)
    mov ebx, [gh_calls + CALLS_TOP]
    mov ecx, [esp + 16]
    mov [TSS_ESP0_ADDR], ecx
    mov ecx, [esp + 20]
    mov [gh_gdt_current], ecx           ; named before it is loaded: a call from an IRQ in between
    lgdt [ecx]                          ; saves the image this way back is about to load (the other
                                        ; order let it bring back the callee's: the domains campaign)
    mov esi, [gh_calls + CALLS_REC - REC_SIZE + REC_PORTS + ebx]
    cmp esi, [gh_io_open]
    jne .ports
.ports_ok:                              ; the record is released before the caller's stack is
    sub dword [gh_calls + CALLS_TOP], REC_SIZE      ; loaded: a trap there lays its frame where
    lss esp, [gh_calls + CALLS_REC - REC_SIZE + REC_CALLER_ESP + ebx]  ; this entry kept its esp0
    pop ds                              ; (and image), which an abort must then not read (found
    retf                                ; as a #PF panic at gh_abort_return's LGDT: campaign seed 30)
.ports:
    push eax
    push edx
    push esi
    call gh_switch_io_ports             ; cdecl; EBX survives it
    add esp, 4
    pop edx
    pop eax
    jmp .ports_ok

; The ring-1 return gate as the domains' copies of the GDT hold it (src/drv/domains.cpp): there a
; plain ring-1 driver (called by kernel code running on a copy) returns through it, and a domain's
; driver only by a stray far call, whose frame is a domain's (the GDT image above the esp0): the
; innermost call's callee says which way back the frame needs.
global gh_ring1_back_checked
gh_ring1_back_checked:
    mov ds, [cs:gh_kernel_ds_word]
    mov ebx, [gh_calls + CALLS_TOP]
    movzx esi, word [gh_calls + CALLS_REC - REC_SIZE + REC_EXPORT + ebx]   ; the callee's export id
    shl esi, 4                          ; EXP_SIZE
    mov esi, [gh_exports + esi + EXP_DRIVER]
    shl esi, 5                          ; DRV_SIZE
    cmp dword [gh_drivers + esi + DRV_DOMAIN], 0
    jne gh_domain_back
    jmp gh_ring1_back
gh_ring1_back_end:                      ; the watchdog may abort a call at any tick in these

; Resume the caller of an aborted call (src/drv/contain.cpp): EBX = a copy of its record, EAX =
; the result, IF = 0; the caller's own code restores its flags and ES (gh_call_gate, gh_call).
global gh_abort_return
gh_abort_return:
    mov ecx, [gh_gdt_current]           ; the caller's GDT image (the abort set it; DS is the kernel's)
    lgdt [ecx]
    lss esp, [ebx + REC_CALLER_ESP]
    pop ds
    retf

; u32 gh_call_gate(u32 gate_selector, u32 a, u32 b, u32 c): kernel code calling an export. Only
; kernel code calls it, on the kernel stack, where SS = DS = ES = the flat kernel data selector.
; It keeps what the C ABI and the kernel need across the gate: EBX, ESI, EDI, EBP, ES, EFLAGS.
global gh_call_gate
gh_call_gate:
    KEEP_ACROSS_GATE                    ; 24 bytes: the selector is at [esp + 28]
    push dword [esp + 28]               ; far pointer: selector above offset
    push dword 0
    mov eax, [esp + 40]
    mov edx, [esp + 44]
    mov ecx, [esp + 48]
    call far [esp]
    add esp, 8
    RESTORE_AFTER_GATE
    ret

section .rodata
global gh_kernel_stubs
gh_kernel_stubs:
%assign i 0
%rep MAX_EXPORT_IDS
    dd gh_kernel_stub_ %+ i
  %assign i i + 1
%endrep

section .bss
kernel_stack_switch: resd 2
alignb 16
    resb 1024
gh_kernel_emergency_stack_top:
