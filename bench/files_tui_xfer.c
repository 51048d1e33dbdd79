/* files_tui_xfer.c - bench driver: one copy through the file browser's transfer engine
 * (src/e2b/xfer.c, exactly what `c` in the TUI and `boxtop cp` run, minus the drawing), timed, with
 * the process's peak RSS. Usage: files_tui_xfer up|down LOCAL REMOTE SANDBOX_ID
 * (E2B_API_URL, E2B_API_KEY, E2B_SANDBOX_URL from the environment). Prints
 * "bytes seconds peak_rss_kb". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "boxtop/api.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "boxtop/loop.h"
#include "boxtop/models.h"
#include "boxtop/xfer.h"

struct run {
    struct loop *loop;
    int done, failed;
    char msg[512];
};

static void on_note(void *ud, enum xfer_event ev, struct xfer_job *j)
{
    struct run *r = ud;
    if (ev != XEV_STATE) return;
    if (j->state == XS_DONE || j->state == XS_FAILED || j->state == XS_CANCELLED) {
        r->done = 1;
        r->failed = j->state != XS_DONE;
        snprintf(r->msg, sizeof r->msg, "%s", j->msg);
        loop_stop(r->loop);
    }
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[1], "up") && strcmp(argv[1], "down"))) {
        fprintf(stderr, "usage: files_tui_xfer up|down LOCAL REMOTE SANDBOX_ID\n");
        return 2;
    }
    int up = !strcmp(argv[1], "up");
    struct error err = {0};
    struct run r = {0};
    r.loop = loop_new();
    struct http *h = http_new(r.loop, NULL);
    struct api *api = api_new(h, getenv("E2B_API_URL"), getenv("E2B_API_KEY"), &err);
    struct sandbox sb;
    if (!api || envd_sandbox_lookup(api, argv[4], &sb, &err) < 0) {
        fprintf(stderr, "lookup: %s\n", err.msg);
        return 1;
    }
    struct envd_client *c = calloc(1, sizeof *c);
    if (!c || envd_client_init(c, h, argv[4], getenv("E2B_SANDBOX_URL"), sb.domain, false,
                         sb.envd_access_token, NULL, &err) < 0) {
        fprintf(stderr, "envd: %s\n", err.msg);
        return 1;
    }
    struct xfer x;
    xfer_init(&x, r.loop, c, on_note, &r);
    int64_t t0 = loop_now_ms();
    struct xfer_job *j = up ? xfer_add(&x, XFER_UP, argv[2], argv[3], 0)
                            : xfer_add(&x, XFER_DOWN, argv[3], argv[2], 0);
    if (!j) return 1;
    while (!r.done)
        loop_run(r.loop);
    double secs = (double)(loop_now_ms() - t0) / 1000.0;
    uint64_t bytes = j->done;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (r.failed) fprintf(stderr, "failed: %s\n", r.msg);
    printf("%llu %.3f %ld\n", (unsigned long long)bytes, secs, ru.ru_maxrss);
    xfer_free(&x);
    xfer_release_client(&x, c);
    sandbox_free(&sb);
    api_free(api);
    http_free(h);
    loop_free(r.loop);
    return r.failed;
}
