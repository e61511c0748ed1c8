/*
 * pool.h - one worker pool for every command: independent work items run
 * on a few threads, each item once.
 *
 * Workers take the next item from a shared atomic counter, so a slow item
 * does not hold up the rest.  Which worker runs which item depends on
 * scheduling; determinism is the caller's part and is simple: write each
 * item's results into the item's own slot (or into the worker's context,
 * in an order-independent form) and merge them in item order afterwards.
 * A thread that cannot be created is not an error: the items run on the
 * threads that could be (at worst on the calling thread alone).
 */
#ifndef RAMPART_CORE_POOL_H
#define RAMPART_CORE_POOL_H

#include <stddef.h>

/* Most threads one pool runs (more would only contend). */
#define POOL_MAX_THREADS 256

/*
 * How many threads to run `items` items on: `jobs` when positive (--jobs),
 * else one per online CPU; never more than the items, POOL_MAX_THREADS,
 * nor less than 1.
 */
size_t pool_threads(long jobs, size_t items);

struct pool_work {
	size_t items;   /* run() is called once for each of 0 .. items - 1 */
	size_t threads; /* workers wanted (pool_threads()) */
	/* shared: the same for every call; worker: that worker's context */
	void (*run)(void *shared, void *worker, size_t item);
	void *shared;
	/* `threads` worker contexts, `stride` bytes apart; NULL: none */
	void *workers;
	size_t stride;
	/* Optional: called on the calling thread every ~100 ms while workers
	 * run (a progress display); the calling thread then runs no items. */
	void (*tick)(void *arg);
	void *tick_arg;
};

/*
 * Run every item.  Returns the number of workers that ran (1..threads):
 * worker k used the context workers + k * stride, for k below that.
 */
size_t pool_run(const struct pool_work *w);

#endif
