/* dapi_copy_wait.h - requests answered once a copy off the loop ended (runtime.h
 * rt_sandbox_copy_start, rt_dir_copy_start): a snapshot, a fork's seeds, a create's seed from
 * a snapshot. The loop serves every other client meanwhile; like E2B's, the call answers when
 * its result is usable. */
#ifndef BOXTOPD_DAPI_COPY_WAIT_H
#define BOXTOPD_DAPI_COPY_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "../ids.h"
#include "boxtop/error.h"
#include "dapi_validate.h"

struct daemon;
struct server_request;
struct server_timer;
struct snapshot;

/* The create a seeded one ends with (dapi_create_seeded). */
typedef int (*dapi_create_fn)(struct daemon *d, struct server_request *req, struct create_req *cr,
                              const struct snapshot *snap, const char *seed,
                              const struct error *err);

/* One waiting request and what its copy's end needs. Freed by whichever comes last: the
 * copy's end (copy_wait_end) or the request's close. */
struct copy_wait {
    struct daemon *d;
    struct server_request *req; /* NULL once closed */
    struct server_timer *rehold;
    bool copy_ended;
    char sbx_id[IDS_SANDBOX_MAX + 1]; /* the source sandbox, "" for none */
    /* fork */
    int count;
    int64_t timeout_s;
    uint32_t idbase;
    char (*seeds)[4096];
    /* create from a snapshot */
    struct create_req cr;
    char snap_tid[24];  /* or "" for a template's layer: */
    int64_t snap_built; /* its created_ms: a rebuild meanwhile swapped the files out */
    char tpl_layer[72]; /* the layer copied: a rebuild meanwhile changed the template's */
    dapi_create_fn rest;
};

struct copy_wait *copy_wait_new(struct daemon *d, const char *sbx_id);
void copy_wait_free(struct copy_wait *w); /* before copy_wait_hold only */
/* The copy started: req is answered from its end (its timeout is off meanwhile). */
void copy_wait_hold(struct copy_wait *w, struct server_request *req);
/* The copy ended: the request to answer, or NULL when the client left (w is freed then;
 * else by the request's close after the answer: do not touch w after answering). */
struct server_request *copy_wait_end(struct copy_wait *w);

/* A create from a snapshot: its files are copied into a seed (rt_seed_dir) off the loop, then
 * rest(d, req, cr, snap, seed, NULL) creates the sandbox and answers, or rest(..., err)
 * answers why not (the copy failed, the snapshot went meanwhile). cr is rest's (or freed
 * here when the copy cannot start; then req is answered here). */
int dapi_create_seeded(struct daemon *d, struct server_request *req, struct create_req *cr,
                       const struct snapshot *snap, dapi_create_fn rest);
/* The same from a template's layer that is a whole copy (tb not stacked: plain mode), so
 * that the loop never copies it: rest(d, req, cr, NULL, seed, NULL) once in the seed. */
struct tpl_build;
int dapi_create_seeded_tpl(struct daemon *d, struct server_request *req, struct create_req *cr,
                           const struct tpl_build *tb, dapi_create_fn rest);

#endif
