// SPDX-License-Identifier: GPL-2.0
/*
 * vsnprintf() for the kernel: flags "-0+ #", width and precision (also "*"),
 * length modifiers hh h l ll z t, conversions d i u x X o c s p %.
 * Always NUL-terminates when size > 0 and returns the length the full output
 * would have had, like C99. Pure logic: also built by host tests.
 */
#include <mosaic/compiler.h>
#include <mosaic/printk.h>
#include <mosaic/string.h>

struct out {
	char *buf;
	size_t size;
	size_t pos;
};

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int precision; /* -1: none */
	int length;    /* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_string(struct out *o, const char *s, const struct spec *sp)
{
	int len;

	if (!s)
		s = "(null)";
	len = (int)strnlen(s, sp->precision >= 0 ? (size_t)sp->precision : (size_t)-1);
	if (!sp->left)
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

static void put_number(struct out *o, u64 v, bool negative, unsigned int base,
		       bool upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], prefix[3] = "";
	int n = 0, plen = 0, zeros, total;

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (n == 0 && sp->precision != 0)
		tmp[n++] = '0';
	if (negative)
		prefix[plen++] = '-';
	else if (sp->plus)
		prefix[plen++] = '+';
	else if (sp->space)
		prefix[plen++] = ' ';
	if (sp->alt && base == 16) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	} else if (sp->alt && base == 8 && tmp[n - 1] != '0' && sp->precision <= n) {
		prefix[plen++] = '0';
	}
	zeros = sp->precision > n ? sp->precision - n : 0;
	total = plen + zeros + n;
	if (sp->zero && !sp->left && sp->precision < 0)
		zeros += sp->width > total ? sp->width - total : 0, total = max(total, sp->width);
	if (!sp->left)
		pad(o, ' ', sp->width - total);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '0') sp->zero = true;
		else if (*f == '+') sp->plus = true;
		else if (*f == ' ') sp->space = true;
		else if (*f == '#') sp->alt = true;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0)
			sp->left = true, sp->width = -sp->width;
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->precision = sp->precision * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'l') sp->length = sp->length == 1 ? 2 : 1;
		else if (*f == 'h') sp->length = sp->length == -1 ? -2 : -1;
		else if (*f == 'z' || *f == 't') sp->length = 1;
		else break;
	}
	return f;
}

static s64 signed_arg(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 2: return va_arg(*ap, long long);
	case 1: return va_arg(*ap, long);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

static u64 unsigned_arg(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 2: return va_arg(*ap, unsigned long long);
	case 1: return va_arg(*ap, unsigned long);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned int);
	}
}

static void convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	if (c != 'd' && c != 'i')
		sp->plus = sp->space = false; /* signs are for signed conversions */
	switch (c) {
	case 'd':
	case 'i': {
		s64 v = signed_arg(sp, ap);

		put_number(o, v < 0 ? 0 - (u64)v : (u64)v, v < 0, 10, false, sp);
		break;
	}
	case 'u': put_number(o, unsigned_arg(sp, ap), false, 10, false, sp); break;
	case 'x': put_number(o, unsigned_arg(sp, ap), false, 16, false, sp); break;
	case 'X': put_number(o, unsigned_arg(sp, ap), false, 16, true, sp); break;
	case 'o': put_number(o, unsigned_arg(sp, ap), false, 8, false, sp); break;
	case 'p':
		sp->alt = true;
		put_number(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, sp);
		break;
	case 'c': {
		char ch = (char)va_arg(*ap, int);

		if (!sp->left)
			pad(o, ' ', sp->width - 1);
		put(o, ch);
		if (sp->left)
			pad(o, ' ', sp->width - 1);
		break;
	}
	case 's': put_string(o, va_arg(*ap, const char *), sp); break;
	case '%': put(o, '%'); break;
	default: /* unknown conversion: print it as written */
		put(o, '%');
		if (c)
			put(o, c);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		convert(&o, *fmt, &sp, &args);
		if (*fmt)
			fmt++;
	}
	va_end(args);
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
