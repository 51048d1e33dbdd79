/* local_backend.h - find, start and stop the local boxtopd.
 *
 * Contract with boxtopd (see common notes): the state dir DIR (default
 * ~/.local/share/boxtop/boxtopd) holds DIR/api-key (one line, mode 0600) and, while boxtopd
 * listens, DIR/boxtopd.json {"pid","apiUrl","sandboxUrl","version"} written atomically and
 * removed on clean exit. A backend counts as running when that file parses, its pid is
 * alive, and GET {apiUrl}/health answers 2xx. */
#ifndef BOXTOP_LOCAL_BACKEND_H
#define BOXTOP_LOCAL_BACKEND_H

#include <stdbool.h>
#include <sys/types.h>

#include "boxtop/error.h"

struct loop;
struct http;

struct local_backend_info {
    pid_t pid;
    char *api_url;
    char *sandbox_url;
    char *version;
    char *api_key; /* SECRET: from DIR/api-key */
};

/* $BOXTOP_STATE_DIR, else $XDG_DATA_HOME/boxtop/boxtopd, else ~/.local/share/boxtop/boxtopd.
 * Malloc'd; NULL when no home is known. */
char *local_backend_default_dir(void);

/* Read DIR/boxtopd.json and DIR/api-key and check that the pid is alive (no network).
 * ERROR_NOT_FOUND when boxtopd is not running there (no file, or a stale one). */
int local_backend_read(const char *dir, struct local_backend_info *out, struct error *err);
void local_backend_info_free(struct local_backend_info *info);

/* Parse a boxtopd.json document (exposed for tests and fuzzing). */
int local_backend_parse_state(const char *text, size_t len, struct local_backend_info *out,
                              struct error *err);

/* The boxtopd binary: next to the running executable (/proc/self/exe), then
 * $BOXTOP_BINDIR, then the configured bindir/sbindir, then $PATH. Malloc'd or NULL+err. */
char *local_backend_find_daemon(struct error *err);

struct local_backend;

/* Called once: err NULL and info set when the backend answers /health; info is valid
 * during the call only (copy what you keep). */
typedef void (*local_backend_cb)(struct local_backend *lb, const struct local_backend_info *info,
                                 const struct error *err, void *ud);

/* Use the boxtopd of dir if it is running, else start it as our child
 * (`--foreground --state-dir DIR --api-listen 127.0.0.1:0 --envd-listen 127.0.0.1:0`, its
 * stdout/stderr appended to DIR/boxtopd.log) and
 * wait (inotify + a timer, never sleeping) for boxtopd.json and /health, up to timeout_ms.
 * daemon_path NULL = local_backend_find_daemon(). Returns NULL + err when it cannot even
 * begin; otherwise cb runs later from the loop. */
struct local_backend *local_backend_start(struct loop *l, struct http *h, const char *dir,
                                          const char *daemon_path, int timeout_ms,
                                          local_backend_cb cb, void *ud, struct error *err);
/* The same, for the command line: a daemon started here is meant to outlive the caller (its
 * own session, no parent-death signal), and local_backend_stop leaves it running once it
 * answered (it still stops one that never became ready). */
struct local_backend *local_backend_start_kept(struct loop *l, struct http *h, const char *dir,
                                               const char *daemon_path, int timeout_ms,
                                               local_backend_cb cb, void *ud, struct error *err);
/* True when local_backend_start launched the daemon (rather than finding one running). */
bool local_backend_started_by_us(const struct local_backend *lb);
/* Stop a daemon we started (SIGTERM, then SIGKILL after 3 s; waits through the loop) and
 * free lb. A daemon we merely found keeps running. */
void local_backend_stop(struct local_backend *lb);

/* After the backend answered: follow the state of boxtopd's base image through /health.
 * cb gets a short note ("base: downloading packages 40 %", "base image failed: ...", "base:
 * host root ...") each time it changes, "" once the image is ready. While it is being built
 * /health is asked every second; otherwise once. Stopped by local_backend_stop. */
typedef void (*local_backend_base_cb)(struct local_backend *lb, const char *note, void *ud);
void local_backend_watch_base(struct local_backend *lb, local_backend_base_cb cb, void *ud);
/* The note in a /health body (exposed for tests): "" when it has none. */
void local_backend_base_note(const char *body, size_t len, char *out, size_t n);

/* Convenience for the CLI: run the loop until the backend of dir answers /health (without
 * starting it). 0 + info, or -1 + err (ERROR_NOT_FOUND when none is running). */
int local_backend_probe(struct loop *l, struct http *h, const char *dir,
                        struct local_backend_info *out, struct error *err);

#endif
