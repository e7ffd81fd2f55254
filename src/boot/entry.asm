; Multiboot (v1) entry: GRUB leaves us in 32-bit protected mode with flat segments of its own, paging
; off, interrupts off, EAX = magic, EBX = multiboot info ([multiboot] §3.2). We only set a stack and
; call C++; kmain loads the kernel's own GDT before anything else.
bits 32

MB_MAGIC    equ 0x1BADB002
MB_ALIGN    equ 1 << 0          ; page-align modules
MB_MEMINFO  equ 1 << 1          ; memory map wanted
MB_FLAGS    equ MB_ALIGN | MB_MEMINFO

section .multiboot
align 4
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)

section .bss
align 16
global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    resb 16384
boot_stack_top:

section .text
global _start
extern kmain
_start:
    mov esp, boot_stack_top
    xor ebp, ebp
    push 0                      ; clear EFLAGS (IF, DF, NT, AC) to a known state
    popfd
    push ebx                    ; multiboot info
    push eax                    ; magic
    call kmain
.hang:
    cli
    hlt
    jmp .hang
