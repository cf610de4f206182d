// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the Ethernet RPC engine's receive side
 * (net/eth_proto.c). The input is a list of frames, each a 16-bit length
 * and that many bytes. Frames of at least a header get their magic,
 * version, destination and checksum made right (unless the first byte of
 * the frame says to keep them raw), so the fuzzer reaches past the envelope
 * checks: request handling, the reply cache, reassembly of fragments,
 * replays and epochs. Requests are answered at once with their own data.
 * Between frames the clock moves by a fuzzed amount and erpc_tick() runs.
 * Built by fuzz.mk.
 */
// test-sources: net/eth_proto.c lib/crc32.c
#include <mosaic/crc32.h>
#include <mosaic/eth_rpc.h>
#include <mosaic/mm.h>

void *kmalloc(size_t size) { return size ? malloc(size) : NULL; }
void *kzalloc(size_t size) { return size ? calloc(1, size) : NULL; }
void kfree(const void *p) { free((void *)p); }

#define SELF 0

static void drop_frame(struct erpc_endpoint *ep, int node, void *frame, size_t len) { }

static void answer_at_once(struct erpc_endpoint *ep, const struct erpc_request *rq)
{
	size_t len = rq->len < rq->reply_max ? rq->len : rq->reply_max;

	erpc_send_reply(ep, rq->slot, 0, rq->data, len);
}

static void no_caller(struct erpc_endpoint *ep, struct erpc_call *call) { }

static const struct erpc_ops fuzz_ops = {
	.send = drop_frame, .request = answer_at_once, .call_done = no_caller,
};

/* Make the envelope pass, so the engine's deeper checks see the fuzzed fields. */
static void fix_envelope(u8 *frame, size_t len)
{
	struct erpc_hdr *h = (struct erpc_hdr *)frame;
	struct erpc_hdr copy;

	h->magic = ERPC_MAGIC;
	h->version = ERPC_VERSION;
	h->dst_node = SELF;
	h->src_node %= 4;
	if (h->payload_len > len - ERPC_HDR_LEN)
		h->payload_len = len - ERPC_HDR_LEN;
	copy = *h;
	copy.crc = 0;
	h->crc = crc32(crc32(0, &copy, sizeof(copy)), h + 1, h->payload_len);
}

/* Feed one frame in a buffer of exactly its size (ASan sees any overrun). */
static void feed(struct erpc_endpoint *ep, const u8 *data, size_t len, u64 now)
{
	u8 *frame = malloc(len ? len : 1);

	memcpy(frame, data, len);
	if (len >= ERPC_HDR_LEN && !(data[0] & 1))
		fix_envelope(frame, len);
	erpc_rx(ep, frame, len, now);
	free(frame);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static struct erpc_endpoint ep;
	u64 now = 1000000000ULL;

	if (erpc_endpoint_init(&ep, SELF, 0x1234, &fuzz_ops, NULL))
		return 0;
	while (size >= 3) {
		size_t len = data[0] | (size_t)data[1] << 8;

		now += (u64)data[2] << 20;	/* up to about 270 ms a step */
		data += 3;
		size -= 3;
		len = len < size ? len : size;
		feed(&ep, data, len, now);
		erpc_tick(&ep, now);
		data += len;
		size -= len;
	}
	erpc_endpoint_destroy(&ep);
	return 0;
}
