/* loop.h - the single-threaded poll(2) event loop used by boxtop.
 *
 * fds, monotonic one-shot timers and signals (through a self-pipe) all end up as callbacks
 * run from loop_run(). Callbacks may add and remove any watcher, including their own. */
#ifndef BOXTOP_LOOP_H
#define BOXTOP_LOOP_H

#include <stdint.h>

struct loop;

enum { LOOP_READ = 1, LOOP_WRITE = 2, LOOP_ERROR = 4 };

typedef void (*loop_fd_cb)(struct loop *l, int fd, int events, void *ud);
typedef void (*loop_timer_cb)(struct loop *l, void *ud);
typedef void (*loop_signal_cb)(struct loop *l, int signo, void *ud);
typedef void (*loop_idle_cb)(struct loop *l, void *ud);

struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Watch fd for LOOP_READ/LOOP_WRITE; replaces an existing watch of the same fd. */
int loop_fd_add(struct loop *l, int fd, int events, loop_fd_cb cb, void *ud);
int loop_fd_modify(struct loop *l, int fd, int events);
void loop_fd_remove(struct loop *l, int fd);

/* One-shot timer after ms milliseconds; returns an id > 0 (or < 0 on error). */
int64_t loop_timer_add(struct loop *l, int64_t ms, loop_timer_cb cb, void *ud);
void loop_timer_cancel(struct loop *l, int64_t id);

/* Deliver signo to cb from the loop (async-signal-safe self-pipe). */
int loop_signal_add(struct loop *l, int signo, loop_signal_cb cb, void *ud);

/* Called once per loop turn before sleeping (redraws go here). One per loop. */
void loop_set_before_sleep(struct loop *l, loop_idle_cb cb, void *ud);

int loop_run(struct loop *l);   /* until loop_stop(); returns 0 */
int loop_run_once(struct loop *l, int max_wait_ms); /* one turn; for tests and nested waits */
void loop_stop(struct loop *l);
int loop_stopped(const struct loop *l);

int64_t loop_now_ms(void);    /* CLOCK_MONOTONIC in ms */
int64_t loop_wall_ms(void);   /* CLOCK_REALTIME in ms */

#endif
