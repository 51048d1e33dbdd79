/* denvd_conn.h - one envd HTTP request and its response, private to denvd_http.c (which routes
 * and answers it) and denvd_conn.c (the writer the services stream through). The services
 * only see the denvd_conn_* functions of denvd_int.h. */
#ifndef BOXTOPD_ENVD_CONN_H
#define BOXTOPD_ENVD_CONN_H

#include "denvd_int.h"

struct server_request;
struct denvd_upload;
struct denvd_download;

enum conn_kind { K_NONE, K_RPC, K_UPLOAD, K_DOWNLOAD, K_STREAM, K_DONE };

struct denvd_conn {
    struct server_request *req;
    struct envd *e;
    enum conn_kind kind;
    char service[32], method[32];
    bool stream_rpc;
    struct denvd_call call;
    struct buf body;
    uint64_t body_in; /* upload payload bytes seen */
    struct denvd_upload *up;
    int up_fail_status; /* refused upload: answer this once the body is read */
    struct buf up_fail_body;
    bool up_end_pending; /* the body ended while the upload waited (denvd_upload_waiting) */
    int up_end_status;
    struct denvd_download *dl;
    struct denvd_remove *rm; /* a Remove answered when its child is done */
    struct denvd_timer *rm_hold;
    bool streaming, ended;
    bool was_high;
    struct denvd_conn_owner owner;
    struct denvd_conn *files_next; /* in call.sbx->files: an upload or download under way */
    bool files_listed;
};

#endif
