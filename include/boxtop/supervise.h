/* supervise.h - keep a local boxtopd for a state dir, as tmux keeps its server: start (or
 * find) it with local_backend_start, notice when it goes away (a pidfd on the pid its
 * discovery file names, whether we started it or not), and start or find it again after a
 * back-off of 0.5 s doubling to 10 s (one we did not start is only looked for again: its
 * owner restarts it). A discovery file that starts naming another boxtopd
 * (restarted by hand on new ports) is followed at once. The callbacks say what happened;
 * the caller points its API client at each new backend. */
#ifndef BOXTOP_SUPERVISE_H
#define BOXTOP_SUPERVISE_H

#include <stdbool.h>

#include "boxtop/error.h"
#include "boxtop/local_backend.h"

#define SUPERVISE_BACKOFF_MIN_MS 500
#define SUPERVISE_BACKOFF_MAX_MS 10000
/* a boxtopd that stayed up this long starts the back-off over when it goes */
#define SUPERVISE_STABLE_MS 10000

struct supervisor;

/* ready: the backend answers (info valid during the call; lb for local_backend_* queries).
 * down: it is gone or did not start (why: translated, no secrets), the next try in retry_ms;
 * restarting: that try starts boxtopd (ours), else it only looks for it again. */
struct supervise_cbs {
    void (*ready)(struct supervisor *s, struct local_backend *lb,
                  const struct local_backend_info *info, void *ud);
    void (*down)(struct supervisor *s, const char *why, int retry_ms, bool restarting, void *ud);
    void *ud;
};

/* The back-off after n failures in a row (0.5 s, 1 s, 2 s, ... 10 s); pure, for tests. */
int supervise_backoff_ms(int failures);

struct supervisor *supervise_start(struct loop *l, struct http *h, const char *dir,
                                   const char *daemon_path, int timeout_ms,
                                   const struct supervise_cbs *cbs, struct error *err);
/* The current local backend (NULL while down). */
struct local_backend *supervise_backend(struct supervisor *s);
/* While waiting out a back-off: try now (the user asked, R); else nothing. */
void supervise_retry_now(struct supervisor *s);
/* Stop supervising; a boxtopd we started is stopped (local_backend_stop), through the loop. */
void supervise_stop(struct supervisor *s);

#endif
