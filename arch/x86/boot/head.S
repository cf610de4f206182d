/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's first instructions. Two loaders can start us, both in 32-bit
 * protected mode with paging off:
 *   - GRUB through the multiboot2 header (eax = 0x36d76289, ebx = info),
 *   - QEMU -kernel through the PVH ELF note (ebx = struct hvm_start_info).
 * Both paths meet in common32, which clears .bss, builds early page tables
 * (identity map of the low 4 GiB, the same at DIRECT_MAP_BASE, and the first
 * 1 GiB at KERNEL_VIRT_BASE), enters long mode and jumps to the higher half.
 * mm/ replaces these tables with the final ones during boot.
 */
#include <mosaic/page.h>

#define PHYS(x) ((x) - KERNEL_VIRT_BASE)
#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define PVH_MAGIC 0x336ec578	/* XEN_HVM_START_MAGIC_VALUE: our protocol marker */
#define PTE_P_RW 0x3
#define PDE_2M 0x83		/* present, writable, 2 MiB page */
#define PML4_DIRECT_MAP_SLOT ((DIRECT_MAP_BASE >> 39) & 511)

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	.balign 8			/* entry address tag: start at mb2_entry */
	.short 3, 0
	.long 12
	.long mb2_entry
	.balign 8			/* end tag */
	.short 0, 0
	.long 8
mb2_header_end:

	.section .note.Xen, "a"
	.balign 4
	.long 4				/* name size: "Xen\0" */
	.long 4				/* descriptor size */
	.long 18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.long pvh_entry

	.section .boot.text, "ax"
	.code32
	.globl mb2_entry
mb2_entry:
	cli
	cld
	movl %eax, %ebp			/* loader magic, handed to C */
	jmp common32

	.globl pvh_entry
pvh_entry:
	cli
	cld
	movl $PVH_MAGIC, %ebp
	/* fall through */

common32:
	/* ebx holds the loader's info pointer in both protocols; cpuid
	 * clobbers ebx, so keep it in esi from here on. */
	movl %ebx, %esi
	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_end), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl
	movl $PHYS(boot_stack_top), %esp

	call check_long_mode
	call build_early_page_tables

	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl $PHYS(early_pml4), %eax
	movl %eax, %cr3

	movl $0x80000001, %eax		/* NX present? EFER.NXE must follow it. */
	cpuid
	movl %edx, %edi
	movl $0xc0000080, %ecx
	rdmsr
	orl $0x100, %eax		/* LME */
	btl $20, %edi
	jnc 1f
	orl $0x800, %eax		/* NXE */
1:	wrmsr

	movl %cr0, %eax
	orl $0x80010001, %eax		/* PG | WP | PE */
	movl %eax, %cr0

	lgdt PHYS(gdt64_ptr32)
	ljmp $8, $start64_low

/* Hang with a message on COM1 if this CPU cannot run 64-bit code. */
check_long_mode:
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode
	ret
no_long_mode:
	movl $no_lm_msg, %esi		/* the info pointer no longer matters */
1:	lodsb
	testb %al, %al
	jz 2f
	movw $0x3f8, %dx
	outb %al, %dx
	jmp 1b
2:	hlt
	jmp 2b

build_early_page_tables:
	/* 2048 PD entries: 2 MiB pages covering physical 0 - 4 GiB. */
	movl $PHYS(early_pd), %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $PDE_2M, %eax
	movl %eax, (%edi,%ecx,8)
	incl %ecx
	cmpl $2048, %ecx
	jb 1b
	/* Low PDPT: four PDs. */
	movl $PHYS(early_pdpt_low), %edi
	movl $PHYS(early_pd) + PTE_P_RW, %eax
	xorl %ecx, %ecx
2:	movl %eax, (%edi,%ecx,8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jb 2b
	/* High PDPT: -2 GiB maps physical 0 - 1 GiB. */
	movl $PHYS(early_pd) + PTE_P_RW, PHYS(early_pdpt_high) + 510 * 8
	movl $PHYS(early_pdpt_low) + PTE_P_RW, %eax
	movl %eax, PHYS(early_pml4)
	movl %eax, PHYS(early_pml4) + PML4_DIRECT_MAP_SLOT * 8
	movl $PHYS(early_pdpt_high) + PTE_P_RW, PHYS(early_pml4) + 511 * 8
	ret

no_lm_msg:
	.asciz "Mosaic: this CPU has no long mode (x86-64); cannot boot.\r\n"

	.code64
start64_low:
	movabs $start64, %rax
	jmp *%rax

	.section .text, "ax"
start64:
	movabs $gdt64_ptr64, %rax
	lgdt (%rax)
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs
	movabs $boot_stack_top, %rsp
	movl %ebp, %edi			/* magic */
	movl %esi, %esi			/* info, physical (zero-extended) */
	xorl %ebp, %ebp			/* ends the backtrace */
	call x86_64_start
3:	hlt
	jmp 3b

	.section .rodata
	.balign 16
	.globl gdt64
gdt64:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit kernel code */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
gdt64_end:
gdt64_ptr32:
	.short gdt64_end - gdt64 - 1
	.long PHYS(gdt64)
	.balign 8
gdt64_ptr64:
	.short gdt64_end - gdt64 - 1
	.quad gdt64

	.section .bss
	.balign 4096
	.globl early_pml4
early_pml4:	.skip 4096
early_pdpt_low:	.skip 4096
early_pdpt_high: .skip 4096
early_pd:	.skip 4 * 4096
	.globl boot_stack, boot_stack_top
boot_stack:	.skip 16384
boot_stack_top:
