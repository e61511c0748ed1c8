/*
 * pool.c - the worker pool (pool.h).
 */
#include "core/pool.h"
#include "core/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

struct state {
	const struct pool_work *w;
	atomic_size_t next;
	/* finished workers; `cv` wakes the ticking thread when the last one is */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t done;
};

struct thread {
	struct state *st;
	void *ctx;
	pthread_t tid;
};

size_t pool_threads(long jobs, size_t items)
{
	long n = jobs > 0 ? jobs : sysconf(_SC_NPROCESSORS_ONLN);
	size_t t = n > 0 ? (size_t)n : 1;
	if (t > POOL_MAX_THREADS)
		t = POOL_MAX_THREADS;
	if (t > items)
		t = items ? items : 1;
	return t;
}

static void drain(struct state *st, void *ctx)
{
	const struct pool_work *w = st->w;
	for (;;) {
		size_t i = atomic_fetch_add_explicit(&st->next, 1, memory_order_relaxed);
		if (i >= w->items)
			break;
		w->run(w->shared, ctx, i);
	}
}

static void *thread_main(void *arg)
{
	struct thread *t = arg;
	drain(t->st, t->ctx);
	pthread_mutex_lock(&t->st->mu);
	t->st->done++;
	pthread_cond_signal(&t->st->cv);
	pthread_mutex_unlock(&t->st->mu);
	return NULL;
}

/* Wait for `started` workers, ticking every 100 ms. */
static void wait_ticking(struct state *st, size_t started)
{
	const struct pool_work *w = st->w;
	pthread_mutex_lock(&st->mu);
	while (st->done < started) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000 * 1000 * 1000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&st->cv, &st->mu, &ts);
		if (st->done < started) {
			pthread_mutex_unlock(&st->mu);
			w->tick(w->tick_arg);
			pthread_mutex_lock(&st->mu);
		}
	}
	pthread_mutex_unlock(&st->mu);
}

size_t pool_run(const struct pool_work *w)
{
	size_t n = w->threads ? w->threads : 1;
	if (n > POOL_MAX_THREADS)
		n = POOL_MAX_THREADS;
	struct state st = {.w = w};
	atomic_init(&st.next, 0);
	pthread_mutex_init(&st.mu, NULL);
	pthread_condattr_t ca;
	bool attr = pthread_condattr_init(&ca) == 0;
	if (attr)
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st.cv, attr ? &ca : NULL);
	if (attr)
		pthread_condattr_destroy(&ca);

	struct thread *t = xcalloc(n, sizeof *t);
	for (size_t k = 0; k < n; k++) {
		t[k].st = &st;
		t[k].ctx = w->workers ? (char *)w->workers + k * w->stride : NULL;
	}
	/* Without a tick the calling thread is worker 0 and n - 1 threads
	 * join it; with one, n threads work while it ticks.  Creation stops at
	 * the first failure: the workers that run are 0 .. used - 1. */
	size_t first = w->tick ? 0 : 1, started = 0;
	for (size_t k = first; k < n; k++) {
		if (pthread_create(&t[k].tid, NULL, thread_main, &t[k]) != 0)
			break;
		started++;
	}
	size_t used;
	if (w->tick && started) {
		wait_ticking(&st, started);
		used = started;
	} else {
		drain(&st, t[0].ctx);
		used = first + started;
		if (!used)
			used = 1; /* tick wanted, no thread: worker 0 ran here */
	}
	for (size_t k = first; k < first + started; k++)
		pthread_join(t[k].tid, NULL);
	free(t);
	pthread_cond_destroy(&st.cv);
	pthread_mutex_destroy(&st.mu);
	return used;
}
