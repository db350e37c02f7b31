/*
 * slowpool.c: a fixed set of threads taking jobs from one bounded queue.
 */
#include "slowpool.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct job {
	void (*run)(void *ctx);
	void *ctx;
	struct job *next;
} job;

struct slowpool {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	job *head, *tail;
	size_t places, capacity; /* places: reserved, queued or running */
	bool stopping;
	int n_threads;
	pthread_t threads[];
};

static void *worker(void *arg)
{
	slowpool *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->ready, &p->lock);
		job *j = p->head;
		if (!j)
			break; /* stopping, and nothing left */
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->lock);
		j->run(j->ctx);
		free(j);
		pthread_mutex_lock(&p->lock);
		p->places--;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

slowpool *slowpool_start(int threads, size_t capacity)
{
	slowpool *p = calloc(1, sizeof *p + (size_t)threads * sizeof(pthread_t));
	if (!p)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready, NULL);
	p->capacity = capacity;
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			break;
		p->n_threads++;
	}
	if (!p->n_threads) {
		pthread_cond_destroy(&p->ready);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	return p;
}

bool slowpool_reserve(slowpool *p)
{
	pthread_mutex_lock(&p->lock);
	bool ok = !p->stopping && p->places < p->capacity;
	if (ok)
		p->places++;
	pthread_mutex_unlock(&p->lock);
	return ok;
}

void slowpool_release(slowpool *p)
{
	pthread_mutex_lock(&p->lock);
	p->places--;
	pthread_mutex_unlock(&p->lock);
}

void slowpool_submit(slowpool *p, void (*run)(void *ctx), void *ctx)
{
	job *j = malloc(sizeof *j);
	if (!j) {
		/* The place is ours already: run it here rather than lose it. */
		run(ctx);
		slowpool_release(p);
		return;
	}
	*j = (job){.run = run, .ctx = ctx};
	pthread_mutex_lock(&p->lock);
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->lock);
}

void slowpool_stop(slowpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->ready);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
