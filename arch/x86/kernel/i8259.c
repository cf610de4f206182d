// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy 8259 PIC pair is replaced by the IOAPIC. It is remapped away
 * from the exception vectors (to PIC_VECTOR_BASE) before being masked,
 * because a masked 8259 can still raise a spurious IRQ 7 or 15.
 */
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/x86.h>
#include <mosaic/compiler.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01
#define PIC_CASCADE_IRQ 2

static void pic_io_wait(void)
{
	outb(0x80, 0);	/* a write to the POST port takes about a microsecond */
}

void i8259_disable(void)
{
	static const u8 sequence[][2] = {
		{ PIC1_CMD, ICW1_INIT_ICW4 }, { PIC2_CMD, ICW1_INIT_ICW4 },
		{ PIC1_DATA, PIC_VECTOR_BASE }, { PIC2_DATA, PIC_VECTOR_BASE + 8 },
		{ PIC1_DATA, 1 << PIC_CASCADE_IRQ }, { PIC2_DATA, PIC_CASCADE_IRQ },
		{ PIC1_DATA, ICW4_8086 }, { PIC2_DATA, ICW4_8086 },
		{ PIC1_DATA, 0xff }, { PIC2_DATA, 0xff },	/* mask every line */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sequence); i++) {
		outb(sequence[i][0], sequence[i][1]);
		pic_io_wait();
	}
}
