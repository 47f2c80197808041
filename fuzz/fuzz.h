/*
 * fuzz.h - what the libFuzzer targets of fuzz/ share.
 *
 * Each fuzz/fuzz_NAME.c is one libFuzzer target (make fuzz builds it with
 * clang -fsanitize=fuzzer,address,undefined into build/fuzz/NAME).  A
 * target feeds the bytes it is given to one parser of outside data, the
 * same entry point the tools use, and checks what must hold whatever the
 * input (a round trip gives back the same thing, two ways of reading agree);
 * a broken property is a crash (abort), so libFuzzer keeps the input.
 *
 * Inputs that carry options take them from their first bytes (fz_take).
 */
#ifndef CT_FUZZ_H
#define CT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv);

/* Take one byte of options from the front of the input (0 when empty). */
static inline unsigned
fz_take(const uint8_t **data, size_t *size)
{
	unsigned c;

	if (*size == 0)
		return 0;
	c = **data;
	(*data)++;
	(*size)--;
	return c;
}

/* A broken property: say which and abort, so libFuzzer keeps the input. */
#define FZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property broken: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/*
 * A message for the terminal: one line, and no control byte that a
 * hostile input could have put there (newline, ESC, CR, DEL).
 */
#define FZ_ONELINE(p, n) do {						\
	size_t fz_i_;							\
									\
	for (fz_i_ = 0; fz_i_ < (size_t)(n); fz_i_++)			\
		FZ_CHECK((unsigned char)(p)[fz_i_] >= 0x20 &&		\
		    (unsigned char)(p)[fz_i_] != 0x7f);			\
} while (0)

#endif
