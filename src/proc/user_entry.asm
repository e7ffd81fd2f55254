; Entering ring 3 and coming back ([intel/vol3] §6.12.1: IRET to a lower privilege level pops
; EIP, CS, EFLAGS, ESP, SS). proc_run_user saves the kernel's callee-saved registers and ESP,
; IRETs to the program, and "returns" only when proc_return_to_kernel is called (the program
; exited or was killed), with that value, like longjmp.
bits 32
USER_CS   equ 0x1B
USER_DS   equ 0x23
KERNEL_DS equ 0x10

section .text
; u32 proc_run_user(u32 eip, u32 esp, KernelContext* ctx, u32 argument): EAX = argument in ring 3
global proc_run_user
proc_run_user:
    mov eax, [esp + 12]
    mov [eax + 0], ebx
    mov [eax + 4], esi
    mov [eax + 8], edi
    mov [eax + 12], ebp
    mov [eax + 16], esp
    mov ecx, [esp + 4]
    mov edx, [esp + 8]
    mov ax, USER_DS
    mov ds, ax
    mov es, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    push dword USER_DS
    push edx
    push dword 0x202                ; IF = 1
    push dword USER_CS
    push ecx
    mov eax, [esp + 20 + 16]        ; the argument (five dwords pushed since the return address)
    iretd

; [[noreturn]] void proc_return_to_kernel(KernelContext* ctx, u32 value)
global proc_return_to_kernel
proc_return_to_kernel:
    mov ecx, [esp + 4]
    mov eax, [esp + 8]
    mov dx, KERNEL_DS
    mov ds, dx
    mov es, dx
    mov ebx, [ecx + 0]
    mov esi, [ecx + 4]
    mov edi, [ecx + 8]
    mov ebp, [ecx + 12]
    mov esp, [ecx + 16]
    ret
