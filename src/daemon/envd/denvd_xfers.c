/* denvd_xfers.c - a sandbox's /files uploads and downloads under way, kept so that they end
 * with it: when the VM goes, E2B's edge ends them; they must not go on into (or out of) a
 * sandbox that is killed or paused. */
#include "config.h"

#include <cJSON.h>

#include "denvd_conn.h"
#include "denvd_files.h"
#include "server.h"

void denvd_xfers_add(struct denvd_conn *c)
{
    if (c->files_listed || !c->call.sbx) return;
    c->files_next = c->call.sbx->files;
    c->call.sbx->files = c;
    c->files_listed = true;
}

void denvd_xfers_remove(struct denvd_conn *c)
{
    if (!c->files_listed) return;
    for (struct denvd_conn **pp = &c->call.sbx->files; *pp; pp = &(*pp)->files_next)
        if (*pp == c) {
            *pp = c->files_next;
            break;
        }
    c->files_listed = false;
}

/* The edge's answer for a sandbox that is not there (as denvd_http.c's for an unknown id). */
static void respond_gone(struct denvd_conn *c, const char *id)
{
    cJSON *j = cJSON_CreateObject();
    if (j) {
        cJSON_AddStringToObject(j, "sandboxId", id);
        cJSON_AddStringToObject(j, "message", "The sandbox was not found");
        cJSON_AddNumberToObject(j, "code", 502);
    }
    server_respond_json(c->req, 502, j);
}

void denvd_xfers_cut(struct denvd_sbx *s)
{
    while (s->files) {
        struct denvd_conn *c = s->files;
        denvd_xfers_remove(c);
        if (c->kind == K_UPLOAD) {
            server_request_set_body_fd(c->req, -1, NULL); /* before its fd is closed */
            denvd_upload_free(c->up);
            c->up = NULL;
            buf_free(&c->up_fail_body);
            c->up_fail_status = 0;
            c->up_end_pending = false;
            if (!server_responded(c->req)) respond_gone(c, s->id);
            c->kind = K_DONE;
            server_request_drop_body(c->req); /* the rest of the body is not taken */
        } else if (c->req && !c->ended) {     /* a download: streamed or sent from its file */
            denvd_download_free(c->dl);
            c->dl = NULL;
            c->ended = true;
            server_response_cut(c->req);
        }
        c->call.sbx = NULL; /* it is about to be freed */
    }
}
