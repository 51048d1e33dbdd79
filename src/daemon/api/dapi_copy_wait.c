/* dapi_copy_wait.c - requests answered once a copy off the loop ended (dapi_copy_wait.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../runtime/runtime.h"
#include "../server.h"
#include "../sandbox.h"
#include "../snapshot.h"
#include "../tpl.h"
#include "dapi.h"
#include "dapi_copy_wait.h"

void copy_wait_free(struct copy_wait *w)
{
    server_timer_free(w->rehold);
    create_req_free(&w->cr);
    free(w->seeds);
    free(w);
}

static void wait_closed(struct server_request *req, void *ud)
{
    (void)req;
    struct copy_wait *w = ud;
    w->req = NULL;
    if (w->copy_ended) copy_wait_free(w);
}

/* lws arms its request timeout after the handler returned: off again, the copy may be long */
static void rehold(struct server_timer *t, void *ud)
{
    (void)t;
    struct copy_wait *w = ud;
    if (w->req) server_request_hold(w->req);
}

struct copy_wait *copy_wait_new(struct daemon *d, const char *sbx_id)
{
    struct copy_wait *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->d = d;
    w->rehold = server_timer_new(d->srv, rehold, w);
    if (!w->rehold) {
        free(w);
        return NULL;
    }
    snprintf(w->sbx_id, sizeof w->sbx_id, "%s", sbx_id);
    return w;
}

void copy_wait_hold(struct copy_wait *w, struct server_request *req)
{
    w->req = req;
    server_request_set_close_cb(req, wait_closed, w);
    server_request_hold(req);
    server_timer_start(w->rehold, 0);
}

struct server_request *copy_wait_end(struct copy_wait *w)
{
    w->copy_ended = true;
    if (!w->req) {
        copy_wait_free(w);
        return NULL;
    }
    return w->req;
}

/* The snapshot's files are copied into the new sandbox's seed: it is created from them. */
static void seed_copied(void *ud, int64_t bytes, const struct error *cerr)
{
    (void)bytes;
    struct copy_wait *w = ud;
    struct daemon *d = w->d;
    const struct snapshot *snap = w->snap_tid[0] ? snapshot_find(d, w->snap_tid) : NULL;
    if (snap && snap->created_ms != w->snap_built) snap = NULL;
    struct tpl_build *tb = NULL;
    bool from_tpl = !w->snap_tid[0];
    if (from_tpl && (!tpl_find(d, w->cr.template_ref, &tb) || !tb ||
                     strcmp(tb->layer, w->tpl_layer) != 0 || tb->stacked))
        tb = NULL;
    struct create_req cr = w->cr; /* to rest, which frees or keeps its parts */
    dapi_create_fn w_rest = w->rest;
    char seed[sizeof w->seeds[0]];
    memcpy(seed, w->seeds[0], sizeof seed);
    memset(&w->cr, 0, sizeof w->cr);
    struct server_request *req = copy_wait_end(w); /* w may be gone from here on */
    struct error err = {0};
    if (cerr)
        err = *cerr;
    else if (from_tpl && !tb)
        error_set(&err, ERROR_CONFLICT,
                  "the template was deleted or rebuilt while the sandbox was created from it");
    else if (!from_tpl && !snap)
        error_set(&err, ERROR_CONFLICT,
                  "the snapshot was deleted or rebuilt while the sandbox was created from it");
    if (req && err.kind == ERROR_NONE) {
        w_rest(d, req, &cr, snap, seed, NULL); /* creates it as admitted */
    } else {
        sbx_create_unadmit(d);
        if (req)
            w_rest(d, req, &cr, snap, seed, &err);
        else
            create_req_free(&cr);
    }
    snapshot_tmp_remove(d, seed); /* empty when the sandbox took it */
}

/* The copy of src_dir (owners based at idbase) into a new seed for w's create. */
static int seeded_start(struct daemon *d, struct server_request *req, struct copy_wait *w,
                        const struct snapshot *snap, const char *src_dir, uint32_t idbase,
                        dapi_create_fn rest);

/* A wait for one seed's copy that owns cr's create from here on (cr emptied); NULL (cr freed)
 * when memory is short. */
static struct copy_wait *seeded_wait_new(struct daemon *d, struct create_req *cr,
                                         dapi_create_fn rest)
{
    struct copy_wait *w = copy_wait_new(d, "");
    if (w) w->seeds = calloc(1, sizeof *w->seeds);
    if (!w || !w->seeds) {
        if (w) copy_wait_free(w);
        create_req_free(cr);
        return NULL;
    }
    w->cr = *cr;
    w->rest = rest;
    memset(cr, 0, sizeof *cr);
    return w;
}

int dapi_create_seeded_tpl(struct daemon *d, struct server_request *req, struct create_req *cr,
                           const struct tpl_build *tb, dapi_create_fn rest)
{
    struct copy_wait *w = seeded_wait_new(d, cr, rest);
    if (!w) return server_respond_error(req, 500, "out of memory");
    snprintf(w->tpl_layer, sizeof w->tpl_layer, "%s", tb->layer);
    char dir[4200];
    tpl_layer_dir(d, tb->layer, dir, sizeof dir);
    return seeded_start(d, req, w, NULL, dir, tb->idbase, rest);
}

int dapi_create_seeded(struct daemon *d, struct server_request *req, struct create_req *cr,
                       const struct snapshot *snap, dapi_create_fn rest)
{
    struct copy_wait *w = seeded_wait_new(d, cr, rest);
    if (!w) return server_respond_error(req, 500, "out of memory");
    snprintf(w->snap_tid, sizeof w->snap_tid, "%s", snap->template_id);
    w->snap_built = snap->created_ms;
    return seeded_start(d, req, w, snap, snap->dir, snap->idbase, rest);
}

static int seeded_start(struct daemon *d, struct server_request *req, struct copy_wait *w,
                        const struct snapshot *snap, const char *src_dir, uint32_t idbase,
                        dapi_create_fn rest)
{
    struct error err;
    const char *dirs[1] = {w->seeds[0]};
    if ((w->cr.volume_mounts && dapi_volume_mounts_check(d, w->cr.volume_mounts, &err) < 0)) {
        copy_wait_free(w);
        return server_respond_error(req, 400, "%s", err.msg);
    }
    /* the limits first: a create refused must not copy (and hold the disk) for nothing */
    if (sbx_create_admit(d, &err) < 0) {
        copy_wait_free(w);
        return rest(d, req, &(struct create_req){0}, snap, NULL, &err); /* rest answers */
    }
    if (rt_seed_dir(d->rt, w->seeds[0], sizeof w->seeds[0], &err) < 0) {
        sbx_create_unadmit(d);
        copy_wait_free(w);
        return rest(d, req, &(struct create_req){0}, snap, NULL, &err);
    }
    if (rt_dir_copy_start(d->rt, src_dir, idbase, dirs, 1, seed_copied, w, &err) < 0) {
        sbx_create_unadmit(d);
        snapshot_tmp_remove(d, w->seeds[0]);
        copy_wait_free(w);
        return rest(d, req, &(struct create_req){0}, snap, NULL, &err);
    }
    copy_wait_hold(w, req);
    return 0;
}
