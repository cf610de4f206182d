// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the EXEC message (managers/memory/exec_msg.c): pack and
 * parse round trip, the packer's limits, and the parser on every truncation
 * and on random byte flips of a good request, each in an exact-size heap
 * copy so AddressSanitizer catches any read past the message.
 */
// test-sources: managers/memory/exec_msg.c
#include <mosaic/errno.h>
#include <mosaic/memory.h>
#include <mosaic/rpc.h>
#include <mosaic/storage.h>
#include "../../managers/memory/exec_rpc.h"
#include "tap.h"

void *kmalloc(size_t size) { return malloc(size); }
void kfree(const void *p) { free((void *)p); }

static const char *const argv[] = { "/bin/prog", "-v", "", "last", NULL };
static const char *const envp[] = { "HOME=/", "TERM=vt100", NULL };
static const u8 rnd[16] = { 9, 8, 7 };
static u8 buf[RPC_MAX_PAYLOAD + 64];

static long pack_good(void)
{
	return mem_exec_pack(buf, sizeof(buf), 42, "/bin/prog", argv, envp, rnd, 0xabc);
}

/* Parse len bytes of src from an exact-size heap copy. */
static int parse_copy(const void *src, size_t len, struct exec_msg *msg, void **copy)
{
	*copy = malloc(len ? len : 1);
	memcpy(*copy, src, len);
	return exec_msg_parse(*copy, len, msg);
}

static void test_round_trip(void)
{
	struct exec_msg msg;
	long len = pack_good();
	void *copy;

	ASSERT(len > MEM_EXEC_REQ_HDR);
	ASSERT_EQ(parse_copy(buf, len, &msg, &copy), 0);
	EXPECT_EQ(msg.tgid, 42);
	EXPECT_STREQ(msg.path, "/bin/prog");
	EXPECT_EQ(msg.argc, 4);
	EXPECT_EQ(msg.envc, 2);
	for (int i = 0; i < 4; i++)
		EXPECT_STREQ(msg.argv[i], argv[i]);
	EXPECT(msg.argv[4] == NULL && msg.envp[2] == NULL);
	EXPECT_STREQ(msg.envp[1], "TERM=vt100");
	EXPECT(msg.hwcap == 0xabc && msg.random[0] == 9 && msg.random[2] == 7);
	exec_msg_release(&msg);
	free(copy);
}

static void test_pack_limits(void)
{
	static char big[RPC_MAX_PAYLOAD];
	const char *const env[] = { big, NULL };
	struct exec_msg msg;
	void *copy;
	long len;

	EXPECT_EQ(mem_exec_pack(buf, sizeof(buf), 1, "", NULL, NULL, rnd, 0), -ENOENT);
	memset(big, 'a', STO_PATH_MAX);
	big[0] = '/';
	EXPECT_EQ(mem_exec_pack(buf, sizeof(buf), 1, big, NULL, NULL, rnd, 0), -ENAMETOOLONG);
	memset(big, 'x', sizeof(big) - 1);
	EXPECT_EQ(mem_exec_pack(buf, sizeof(buf), 1, "/p", NULL, env, rnd, 0), -E2BIG);
	EXPECT_EQ(mem_exec_pack(buf, 50, 1, "/p", argv, NULL, rnd, 0), -E2BIG);
	EXPECT_EQ(mem_exec_pack(buf, 10, 1, "/p", NULL, NULL, rnd, 0), -E2BIG);
	big[RPC_MAX_PAYLOAD - MEM_EXEC_REQ_HDR - 4] = '\0';	/* "/p\0" + it: exactly full */
	len = mem_exec_pack(buf, sizeof(buf), 1, "/p", NULL, env, rnd, 0);
	EXPECT_EQ(len, RPC_MAX_PAYLOAD);
	len = mem_exec_pack(buf, sizeof(buf), 1, "/p", NULL, NULL, rnd, 0);
	ASSERT_EQ(parse_copy(buf, len, &msg, &copy), 0);
	EXPECT(msg.argc == 0 && msg.envc == 0 && msg.argv[0] == NULL && msg.envp[0] == NULL);
	exec_msg_release(&msg);
	free(copy);
}

static void test_every_truncation_rejected(void)
{
	long len = pack_good();
	struct exec_msg msg;
	void *copy;

	for (long n = 0; n < len; n++) {
		EXPECT_EQ(parse_copy(buf, n, &msg, &copy), -EINVAL);
		free(copy);
	}
}

/* A parse that succeeds must describe strings inside the message. */
static void check_msg_inside(const struct exec_msg *msg, const u8 *base, size_t len)
{
	for (u32 i = 0; i < msg->argc; i++)
		EXPECT((const u8 *)msg->argv[i] >= base &&
		       (const u8 *)msg->argv[i] + strlen(msg->argv[i]) < base + len);
	for (u32 i = 0; i < msg->envc; i++)
		EXPECT((const u8 *)msg->envp[i] + strlen(msg->envp[i]) < base + len);
}

static void test_random_flips(void)
{
	long len = pack_good();
	u8 *mut = malloc(len);
	struct exec_msg msg;
	int ok = 0;

	srand(7);
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(mut, buf, len);
		for (int k = 1 + rand() % 3; k; k--)
			mut[rand() % len] = rand() % 4 ? rand() : 0;
		int err = exec_msg_parse(mut, len, &msg);

		EXPECT(err == 0 || err == -EINVAL);
		if (err)
			continue;
		ok++;
		check_msg_inside(&msg, mut, len);
		exec_msg_release(&msg);
	}
	EXPECT(ok > 0);
	free(mut);
}

int main(void)
{
	RUN(test_round_trip);
	RUN(test_pack_limits);
	RUN(test_every_truncation_rejected);
	RUN(test_random_flips);
	return tap_finish();
}
