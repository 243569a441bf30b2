/*
 * PVH entry of the test guests. The VMM enters pvh_start in 32-bit
 * protected mode, paging off, with EBX = guest-physical address of
 * struct hvm_start_info. We load our own flat GDT (the boot GDT may not
 * survive), set up a stack and call guest_main(start_info). Everything
 * here runs at CPL0, which is emulated on the target hosts: keep it short.
 */

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define SEL_CODE 0x08
#define SEL_DATA 0x10

#include "rt.h"

	.section .note.Xen, "a"
	.p2align 2
	.long 4				/* namesz: "Xen\0" */
	.long 4				/* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long pvh_start

	.section .text.entry, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	lgdt gdt_desc
	ljmp $SEL_CODE, $1f
1:	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movl $boot_stack_top, %esp
	pushl %ebx
	call guest_main
	pushl %eax
	call guest_exit
2:	hlt
	jmp 2b

	.section .rodata
	.p2align 3
	.globl gdt
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: flat 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: flat data */
gdt_end:
	.globl gdt_desc
	.p2align 2
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

	.section .bss
	.p2align 4
	.space 8192
boot_stack_top:
