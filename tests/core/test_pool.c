/*
 * test_pool.c - the worker pool: every item runs exactly once whatever the
 * thread count, each worker uses only its own context, results merged in
 * item order are the same for any number of threads, the tick runs on the
 * calling thread, and the thread count is bounded.
 */
#include "core/pool.h"
#include "core/xalloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

struct ctx {
	size_t items;
	uint64_t sum; /* of item + 1 over the items this worker ran */
	char pad[64]; /* keep workers off each other's cache line */
};

struct job {
	atomic_uint *runs; /* per item: times run */
	uint64_t *slot;    /* per item: its result */
};

static void run(void *shared, void *worker, size_t i)
{
	struct job *j = shared;
	struct ctx *c = worker;
	atomic_fetch_add(&j->runs[i], 1);
	j->slot[i] = (uint64_t)i * i;
	c->items++;
	c->sum += i + 1;
	if (i % 97 == 0) { /* uneven items, so threads interleave */
		struct timespec ts = {0, 200000};
		nanosleep(&ts, NULL);
	}
}

static void tick(void *arg)
{
	(void)arg; /* test_tick looks at ticks; here only the items matter */
}

static void run_with(size_t n, size_t threads, bool ticking)
{
	struct job j = {.runs = xcalloc(n ? n : 1, sizeof *j.runs), .slot = xcalloc(n ? n : 1, sizeof *j.slot)};
	struct ctx *w = xcalloc(threads, sizeof *w);
	struct pool_work work = {
		.items = n, .threads = threads, .run = run, .shared = &j,
		.workers = w, .stride = sizeof *w,
		.tick = ticking ? tick : NULL, .tick_arg = &j,
	};
	size_t used = pool_run(&work);
	assert_true(used >= 1 && used <= threads);
	size_t items = 0;
	uint64_t sum = 0;
	for (size_t k = 0; k < threads; k++) {
		if (k >= used)
			assert_int_equal(w[k].items, 0); /* contexts past `used` untouched */
		items += w[k].items;
		sum += w[k].sum;
	}
	assert_int_equal(items, n);
	assert_int_equal(sum, (uint64_t)n * (n + 1) / 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(atomic_load(&j.runs[i]), 1);
		assert_int_equal(j.slot[i], (uint64_t)i * i);
	}
	free(w);
	free(j.runs);
	free(j.slot);
}

static void test_every_item_once(void **st)
{
	(void)st;
	size_t sizes[] = {0, 1, 2, 7, 1000};
	size_t threads[] = {1, 2, 3, 8};
	for (size_t a = 0; a < sizeof sizes / sizeof *sizes; a++)
		for (size_t b = 0; b < sizeof threads / sizeof *threads; b++) {
			run_with(sizes[a], threads[b], false);
			run_with(sizes[a], threads[b], true);
		}
}

/* Slow items: the tick comes, on the calling thread, while they run. */
struct slow {
	pthread_t caller;
	atomic_size_t ticks, off_thread;
};

static void run_slow(void *shared, void *worker, size_t i)
{
	(void)shared;
	(void)worker;
	(void)i;
	struct timespec ts = {0, 60 * 1000 * 1000};
	nanosleep(&ts, NULL);
}

static void tick_slow(void *arg)
{
	struct slow *s = arg;
	atomic_fetch_add(&s->ticks, 1);
	if (!pthread_equal(pthread_self(), s->caller))
		atomic_fetch_add(&s->off_thread, 1);
}

static void test_tick(void **st)
{
	(void)st;
	struct slow s = {.caller = pthread_self()};
	atomic_init(&s.ticks, 0);
	atomic_init(&s.off_thread, 0);
	/* 8 items of 60 ms on 2 threads: 240 ms at least, two ticks due */
	struct pool_work work = {.items = 8, .threads = 2, .run = run_slow,
				 .tick = tick_slow, .tick_arg = &s};
	assert_int_equal(pool_run(&work), 2);
	assert_true(atomic_load(&s.ticks) >= 1);
	assert_int_equal(atomic_load(&s.off_thread), 0);
}

static void test_thread_count(void **st)
{
	(void)st;
	assert_int_equal(pool_threads(4, 100), 4);
	assert_int_equal(pool_threads(4, 2), 2);
	assert_int_equal(pool_threads(4, 0), 1);
	assert_int_equal(pool_threads(100000, 100000), POOL_MAX_THREADS);
	size_t cpus = pool_threads(0, 100000);
	assert_true(cpus >= 1 && cpus <= POOL_MAX_THREADS);
	assert_int_equal(pool_threads(-3, 100000), cpus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_item_once),
		cmocka_unit_test(test_tick),
		cmocka_unit_test(test_thread_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
