// SPDX-License-Identifier: GPL-2.0
/*
 * wordcount: an application workload for the pcache that streams. TEXT
 * bytes of generated text (words of a VOCAB-word vocabulary, separated by
 * spaces) is the working set: 4 MiB, scanned in full by every timed run,
 * which counts each word in a small hash table (it stays local). Run at
 * 100%, 50% and 25% of the working set local (pcache= on Mosaic, a memory
 * cgroup with zram swap on Linux).
 *
 * Rows (bench_app_rows()): wordcount ms (best of RUNS), ws_pages,
 * pcache_lines, misses_per_run, checksum (distinct words times the count
 * of the most frequent one, plus the words counted).
 */
#include "bench.h"

#define TEXT (4UL << 20)
#define VOCAB 4096
#define BUCKETS 8192	/* power of two, twice VOCAB */
#define MAX_WORD 12
#define RUNS 3

struct bucket {
	char word[MAX_WORD + 1];
	long count;
};

static struct bucket buckets[BUCKETS];

/* Word w of the vocabulary: 3 to MAX_WORD letters from w's bits. */
static size_t vocab_word(uint32_t w, char *out)
{
	uint32_t s = w * 2654435761u + 1;
	size_t len = 3 + w % (MAX_WORD - 2);

	for (size_t i = 0; i < len; i++) {
		s = s * 1103515245u + 12345u;
		out[i] = (char)('a' + (s >> 16) % 26);
	}
	return len;
}

/* Fill text with words drawn by a fixed generator, space-separated. */
static void make_text(void *data)
{
	char *text = data;
	uint32_t s = 7;
	size_t at = 0;

	while (at + MAX_WORD + 1 < TEXT) {
		s = s * 1103515245u + 12345u;
		at += vocab_word((s >> 8) % VOCAB, text + at);
		text[at++] = ' ';
	}
	memset(text + at, ' ', TEXT - at);
}

static void count_word(const char *w, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	for (h &= BUCKETS - 1; buckets[h].count; h = (h + 1) & (BUCKETS - 1))
		if (!strncmp(buckets[h].word, w, len) && !buckets[h].word[len])
			break;
	if (!buckets[h].count)
		memcpy(buckets[h].word, w, len);
	buckets[h].count++;
}

/* One pass over the text; returns the checksum of the counts. */
static int64_t count_all(const void *data)
{
	const char *text = data;
	int64_t distinct = 0, top = 0, words = 0;
	size_t start = 0;

	memset(buckets, 0, sizeof(buckets));
	for (size_t i = 0; i < TEXT; i++) {
		if (text[i] != ' ')
			continue;
		if (i > start)
			count_word(text + start, i - start);
		start = i + 1;
	}
	for (int b = 0; b < BUCKETS; b++) {
		distinct += buckets[b].count > 0;
		words += buckets[b].count;
		top = buckets[b].count > top ? buckets[b].count : top;
	}
	return distinct * top + words;
}

int main(void)
{
	return bench_app("wordcount", TEXT, RUNS, make_text, count_all);
}
