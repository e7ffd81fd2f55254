; Reload every segment register after LGDT: CS needs a far transfer ([intel/vol3] §3.4.3),
; and the hidden descriptor caches still hold GRUB's values until each register is loaded.
bits 32
KERNEL_CS equ 0x08
KERNEL_DS equ 0x10

section .text
global reload_segments
reload_segments:
    jmp KERNEL_CS:.cs_loaded
.cs_loaded:
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax              ; FS/GS stay null in the kernel: they are for far pointers
    mov fs, ax
    mov gs, ax
    ret
