/*
 * libFuzzer target: the command line and environment parser. The input is
 * NUL-separated words; a word of one byte 0x01 ends argv, and the words
 * after it are the environment.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"

#define WORDS_MAX	256

static char *words[WORDS_MAX + 2];

/* Each word in its own exact-size allocation, so ASan sees overreads. */
static int
split(const uint8_t *data, size_t size)
{
	size_t at = 0;
	int n = 0;

	while (at < size && n < WORDS_MAX) {
		const uint8_t *z = memchr(data + at, '\0', size - at);
		size_t len = z ? (size_t)(z - (data + at)) : size - at;

		if ((words[n] = malloc(len + 1)) == NULL)
			break;
		memcpy(words[n], data + at, len);
		words[n++][len] = '\0';
		at += len + 1;
	}
	return n;
}

static void
check(const struct opts *o, int r, char **argv, int argc, const char *err)
{
	int s, code;

	if (r != OPT_RUN && r != OPT_HELP && r != OPT_VERSION && r != OPT_USAGE)
		abort();
	if (r == OPT_USAGE && err[0] == '\0')
		abort();	/* a usage error always says why */
	if (r != OPT_RUN)
		return;
	if (o->cmd && (o->cmd < argv + 1 || o->cmd >= argv + argc))
		abort();
	if (o->pdeathsig < 0 || o->pdeathsig > SIG_COUNT || o->grace_ms < 0)
		abort();
	for (s = 0; s <= SIG_COUNT; s++)
		if (o->rewrite[s] < -1 || o->rewrite[s] > SIG_COUNT || o->delay_ms[s] < 0)
			abort();
	for (code = 0; code < 512; code++)
		if (opt_status(o, code) < 0 || opt_status(o, code) > 255)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct opts o;
	char *argv[WORDS_MAX + 2], *envp[WORDS_MAX + 1];
	char *err;
	int n = split(data, size), argc = 1, nenv = 0, i, r;

	argv[0] = "reaper";
	for (i = 0; i < n && strcmp(words[i], "\x01") != 0; i++)
		argv[argc++] = words[i];
	argv[argc] = NULL;
	for (i++; i < n; i++)
		envp[nenv++] = words[i];
	envp[nenv] = NULL;
	if ((err = malloc(160)) != NULL) {	/* the size init/main.c gives */
		r = opt_parse(&o, argc, argv, envp, err, 160);
		if (memchr(err, '\0', 160) == NULL)
			abort();
		check(&o, r, argv, argc, err);
		free(err);
	}
	for (i = 0; i < n; i++)
		free(words[i]);
	return 0;
}
