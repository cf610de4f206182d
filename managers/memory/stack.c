// SPDX-License-Identifier: GPL-2.0
/*
 * Initial user stack layout for exec (see stack.h for the picture). Two
 * passes: measure every string first (so sp is known), then write strings
 * downwards from the top while the pointer vectors are written upwards from
 * sp. Pure logic; the caller copies the result into user pages.
 */
#include <mosaic/compiler.h>
#include <mosaic/errno.h>
#include <mosaic/string.h>

#include "stack.h"

#define STACK_TOP_PAD	8	/* a zero word at the very top, as Linux leaves */
#define RANDOM_BYTES	16

/* A cursor pair over the buffer that stands for [base, base + size). */
struct stack_writer {
	u8 *buf;
	u64 base;
	u64 str;	/* strings grow down from here */
	u64 vec;	/* vector words grow up from here */
};

static u64 push_bytes(struct stack_writer *w, const void *p, size_t n)
{
	w->str -= n;
	memcpy(w->buf + (w->str - w->base), p, n);
	return w->str;
}

static void put_word(struct stack_writer *w, u64 v)
{
	memcpy(w->buf + (w->vec - w->base), &v, sizeof(v));
	w->vec += sizeof(v);
}

/* Bytes of n strings with their NULs, or -E2BIG when one is too long. */
static long strings_size(const char *const *s, u32 n)
{
	long total = 0;

	for (u32 i = 0; i < n; i++) {
		size_t len = strnlen(s[i], STACK_STRING_MAX);

		if (len >= STACK_STRING_MAX)
			return -E2BIG;
		total += len + 1;
	}
	return total;
}

static long stack_measure(const struct stack_args *a, u64 *vec_words)
{
	long argv_sz, envp_sz, fn_sz;

	if (a->argc > STACK_ARGS_MAX / 8 || a->envc > STACK_ARGS_MAX / 8)
		return -E2BIG;
	argv_sz = strings_size(a->argv, a->argc);
	envp_sz = strings_size(a->envp, a->envc);
	fn_sz = strings_size(&a->execfn, 1);
	if (argv_sz < 0 || envp_sz < 0 || fn_sz < 0)
		return -E2BIG;
	/* argc, argv + NULL, envp + NULL, aux + RANDOM + EXECFN + NULL pairs */
	*vec_words = 1 + (a->argc + 1) + (a->envc + 1) + 2 * ((u64)a->naux + 3);
	return argv_sz + envp_sz + fn_sz;
}

static void push_vector(struct stack_writer *w, const char *const *s, u32 n)
{
	for (u32 i = 0; i < n; i++)
		put_word(w, push_bytes(w, s[i], strlen(s[i]) + 1));
	put_word(w, 0);
}

static void push_auxv(struct stack_writer *w, const struct stack_args *a, u64 random,
		      u64 execfn)
{
	for (u32 i = 0; i < a->naux; i++) {
		put_word(w, a->aux[i].type);
		put_word(w, a->aux[i].value);
	}
	put_word(w, AT_RANDOM);
	put_word(w, random);
	put_word(w, AT_EXECFN);
	put_word(w, execfn);
	put_word(w, AT_NULL);
	put_word(w, 0);
}

int stack_build(const struct stack_args *a, u64 top, u8 *buf, size_t size, u64 *sp)
{
	struct stack_writer w = { .buf = buf, .base = top - size, .str = top };
	u64 vec_words, random, execfn, low;
	long str_bytes = stack_measure(a, &vec_words);

	if (str_bytes < 0)
		return str_bytes;
	if (str_bytes + vec_words * 8 > STACK_ARGS_MAX)
		return -E2BIG;
	low = ALIGN_DOWN(top - STACK_TOP_PAD - str_bytes - RANDOM_BYTES, 16);
	*sp = ALIGN_DOWN(low - vec_words * 8, 16);
	if (top - *sp > size)
		return -E2BIG;
	memset(buf + (*sp - w.base), 0, top - *sp);
	w.str = top - STACK_TOP_PAD;
	w.vec = *sp;
	execfn = push_bytes(&w, a->execfn, strlen(a->execfn) + 1);
	put_word(&w, a->argc);
	push_vector(&w, a->argv, a->argc);
	push_vector(&w, a->envp, a->envc);
	w.str = low + RANDOM_BYTES;	/* random bytes sit at low, 16-aligned */
	random = push_bytes(&w, a->random, RANDOM_BYTES);
	push_auxv(&w, a, random, execfn);
	return 0;
}
