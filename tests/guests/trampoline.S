/*
 * Real-mode start-up code of the application processors. smp.c copies
 * [ap_tramp_start, ap_tramp_end) to a page below 1 MiB and sends the
 * page number as the SIPI vector; the AP starts here with CS = page >> 4,
 * IP = 0. The code only uses CS-relative offsets, so it runs at any page.
 * It loads the image's flat GDT (absolute 32-bit base), enables
 * protected mode and far-jumps to ap_entry32 below.
 */
#include "rt.h"

#define SEL_DATA 0x10

	.section .text, "ax"
	.code16
	.globl ap_tramp_start
ap_tramp_start:
	cli
	movw %cs, %ax
	movw %ax, %ds
	lgdtl tramp_gdt_desc - ap_tramp_start
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $0x08, $ap_entry32
	.p2align 2
tramp_gdt_desc:
	.word 3 * 8 - 1			/* the three descriptors of gdt */
	.long gdt
	.globl ap_tramp_end
ap_tramp_end:

	.code32
/*
 * Application processors arrive here from the real-mode trampoline
 * above in flat 32-bit protected mode. Each takes the next
 * slot number atomically and uses the stack of that slot; slots past
 * the end park the CPU.
 */
	.globl ap_entry32
ap_entry32:
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movl $1, %eax
	lock xaddl %eax, ap_next_slot
	cmpl $AP_MAX, %eax
	jae 3f
	movl %eax, %ecx
	incl %ecx
	shll $AP_STACK_SHIFT, %ecx
	leal ap_stacks(%ecx), %esp
	pushl %eax
	call ap_main
3:	cli
	hlt
	jmp 3b

	.section .data
	.p2align 2
ap_next_slot:
	.long 0

	.section .bss
	.p2align 4
ap_stacks:
	.space AP_MAX << AP_STACK_SHIFT
