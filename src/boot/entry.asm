; Multiboot (v1) entry: GRUB leaves us in 32-bit protected mode with flat segments of its own, paging
; off, interrupts off, EAX = magic, EBX = multiboot info ([multiboot] §3.2). The kernel is linked at
; 3 GiB + 1 MiB but loaded at 1 MiB: this code runs at its physical address, maps the first 4 MiB
; both at 0 and at 3 GiB with one page table (4 KiB pages work on every CPU, a 486 too), turns
; paging on and jumps up. src/mm/paging.cpp then builds the full direct map and drops the
; identity mapping.
bits 32
KERNEL_VMA  equ 0xC0000000
MB_MAGIC    equ 0x1BADB002
MB_ALIGN    equ 1 << 0          ; page-align modules
MB_MEMINFO  equ 1 << 1          ; memory map wanted
MB_FLAGS    equ MB_ALIGN | MB_MEMINFO
PTE_PW      equ 0x3             ; present, writable

section .multiboot
align 4
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)

section .bss
align 4096
global boot_page_directory
boot_page_directory:
    resb 4096
boot_page_table:
    resb 4096
align 16
global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    resb 16384
boot_stack_top:

section .boot
global _start_phys
_start_phys:
    mov esi, eax                                    ; keep the magic
    ; The page table: 1024 entries, frame i at i * 4 KiB.
    mov edi, boot_page_table - KERNEL_VMA
    mov ecx, 0
.fill:
    mov edx, ecx
    shl edx, 12
    or edx, PTE_PW
    mov [edi + ecx * 4], edx
    inc ecx
    cmp ecx, 1024
    jne .fill
    mov edx, boot_page_table - KERNEL_VMA
    or edx, PTE_PW
    mov [boot_page_directory - KERNEL_VMA], edx               ; 0..4 MiB at 0 (for this code)
    mov [boot_page_directory - KERNEL_VMA + 768 * 4], edx     ; and at 3 GiB
    mov edx, boot_page_directory - KERNEL_VMA
    mov cr3, edx
    ; CR0.PG, and CR0.WP: without WP, ring 0-2 writes ignore the read-only bit of every page
    ; ([intel/vol3] §4.6.1), so a system call pointed at a read-only user page would write it.
    mov edx, cr0
    or edx, 0x80010000                              ; CR0.PG | CR0.WP
    mov cr0, edx
    lea edx, [higher_half]
    jmp edx

section .text
extern kmain
higher_half:
    mov esp, boot_stack_top
    xor ebp, ebp
    push 0                      ; clear EFLAGS (IF, DF, NT, AC) to a known state
    popfd
    push ebx                    ; multiboot info (physical)
    push esi                    ; magic
    call kmain
.hang:
    cli
    hlt
    jmp .hang
