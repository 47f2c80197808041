/*
 * shard.c - a time window cut into day-aligned pieces (see shard.h).
 */
#include "shard.h"

#define DAY	86400

int64_t
ct_shard_last(int64_t start, int64_t end, int64_t a, int days)
{
	int64_t span = (int64_t)days * DAY, first, b;

	/* the start's UTC midnight: floor, also before 1970 */
	first = start - ((start % DAY) + DAY) % DAY;
	b = first + ((a - first) / span + 1) * span - 1;
	return b < end ? b : end;
}
