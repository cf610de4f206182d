/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instructions that touch user memory, each with an exception fixup
 * (include/asm/extable.h). Callers have already checked the range with
 * access_ok(); a fault here means an unmapped or protected user page that
 * the page-fault hook could not resolve.
 *
 * Each returns in %rax the number of bytes NOT done (0 on success).
 */
#define _ASM_EXTABLE_S(from, to) \
	.pushsection __ex_table, "a"; .balign 4; .long (from) - .; .long (to) - .; .popsection

	.text
/* unsigned long __copy_user(void *dst, const void *src, size_t n) */
	.globl __copy_user
__copy_user:
	movq	%rdx, %rcx
1:	rep movsb
	xorl	%eax, %eax
	ret
2:	movq	%rcx, %rax
	ret
	_ASM_EXTABLE_S(1b, 2b)

/* unsigned long __clear_user(void *dst, size_t n) */
	.globl __clear_user
__clear_user:
	movq	%rsi, %rcx
	xorl	%eax, %eax
3:	rep stosb
	ret
4:	movq	%rcx, %rax
	ret
	_ASM_EXTABLE_S(3b, 4b)

/* int __get_user_u8(u8 *dst, const u8 *src): 0 or 1 (faulted) */
	.globl __get_user_u8
__get_user_u8:
5:	movzbl	(%rsi), %eax
	movb	%al, (%rdi)
	xorl	%eax, %eax
	ret
6:	movl	$1, %eax
	ret
	_ASM_EXTABLE_S(5b, 6b)
