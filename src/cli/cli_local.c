/* cli_local.c - the command line starts the local backend when there is no other.
 *
 * With no key and no boxtopd running, `boxtop ls` does what `boxtop` (the TUI) does: start
 * boxtopd on loopback. Unlike the TUI's, this boxtopd outlives the command (a script's next
 * command finds it running, with its sandboxes), so it is started in its own session without
 * a parent-death signal, and stderr says so once: at the start. Waiting for it here is a
 * nested run of the command's own loop (bounded by CLI_LOCAL_START_TIMEOUT_MS). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "boxtop/local_backend.h"
#include "boxtop/loop.h"
#include "cli_private.h"

#define CLI_LOCAL_START_TIMEOUT_MS 30000

struct start_wait {
    bool done;
    struct error err;
    struct local_backend_info *out;
    int copy_failed;
};

static char *dup_or_null(const char *s, int *failed)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d) *failed = 1;
    return d;
}

static void on_ready(struct local_backend *lb, const struct local_backend_info *info,
                     const struct error *err, void *ud)
{
    (void)lb;
    struct start_wait *w = ud;
    w->done = true;
    if (err) {
        w->err = *err;
        return;
    }
    w->out->pid = info->pid;
    w->out->api_url = dup_or_null(info->api_url, &w->copy_failed);
    w->out->sandbox_url = dup_or_null(info->sandbox_url, &w->copy_failed);
    w->out->version = dup_or_null(info->version, &w->copy_failed);
    w->out->api_key = dup_or_null(info->api_key, &w->copy_failed);
}

int cli_start_local(struct cli *c, struct local_backend_info *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    struct start_wait w = {.out = out};
    struct local_backend *lb = local_backend_start_kept(
        c->loop, c->http, c->state_dir, NULL, CLI_LOCAL_START_TIMEOUT_MS, on_ready, &w, err);
    if (!lb) return -1;
    while (!w.done)
        loop_run_once(c->loop, 1000);
    bool ours = local_backend_started_by_us(lb);
    local_backend_stop(lb); /* a ready one started here keeps running */
    if (w.err.kind != ERROR_NONE || w.copy_failed) {
        local_backend_info_free(out);
        if (w.copy_failed) return error_set(err, ERROR_GENERIC, _("out of memory"));
        *err = w.err;
        return -1;
    }
    if (ours)
        fprintf(c->stderr_fp,
                _("boxtop: started the local backend (boxtopd, pid %ld, %s); it keeps running "
                  "for the next commands (stop it with: kill %ld)\n"),
                (long)out->pid, c->state_dir, (long)out->pid);
    return 0;
}
