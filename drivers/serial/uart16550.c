// SPDX-License-Identifier: GPL-2.0
/*
 * 16550 UART on COM1: 115200 baud, 8 data bits, no parity, 1 stop bit.
 * Output is polled. Input is polled (serial_getc) or, once a console asks
 * for it, signalled by the receive interrupt (ISA IRQ 4 through the IOAPIC).
 */
#include <asm/x86.h>
#include <mosaic/console.h>
#include <mosaic/errno.h>
#include <mosaic/irq.h>

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_IIR 2
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define IER_RX_DATA 0x01
#define COM1_IRQ 4

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 1);	/* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7);	/* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + UART_MCR, 0x0b);	/* DTR, RTS, OUT2 */
}

void serial_putc(char c)
{
	unsigned int spins = 100000;

	/* Bounded wait: a missing UART must not hang the kernel. */
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY) && --spins)
		cpu_relax();
	outb(COM1 + UART_DATA, c);
}

int serial_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

static void (*serial_rx_notify)(void);

static void serial_rx_irq(struct pt_regs *regs)
{
	inb(COM1 + UART_IIR);	/* acknowledge; the reader drains the data */
	if (serial_rx_notify)
		serial_rx_notify();
}

int serial_enable_rx_irq(void (*notify)(void))
{
	int vector, err;

	if (serial_rx_notify)
		return -EBUSY;
	serial_rx_notify = notify;
	vector = irq_request_vector(serial_rx_irq);
	if (vector < 0)
		goto fail;
	err = ioapic_route_isa_irq(COM1_IRQ, (unsigned int)vector, 0);
	if (err) {
		irq_free_vector((unsigned int)vector);
		vector = err;
		goto fail;
	}
	outb(COM1 + UART_IER, IER_RX_DATA);
	return 0;
fail:
	serial_rx_notify = NULL;
	return vector;
}
