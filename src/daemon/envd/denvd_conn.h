/* envd_conn.h - one envd HTTP request and its response, private to envd_http.c (which routes
 * and answers it) and envd_conn.c (the writer the services stream through). The services
 * only see the envd_conn_* functions of envd_int.h. */
#ifndef BOXTOPD_ENVD_CONN_H
#define BOXTOPD_ENVD_CONN_H

#include "denvd_int.h"

struct server_request;
struct envd_upload;
struct envd_download;

enum conn_kind { K_NONE, K_RPC, K_UPLOAD, K_DOWNLOAD, K_STREAM, K_DONE };

struct envd_conn {
    struct server_request *req;
    struct envd *e;
    enum conn_kind kind;
    char service[32], method[32];
    bool stream_rpc;
    struct envd_call call;
    struct buf body;
    uint64_t body_in; /* upload payload bytes seen */
    struct envd_upload *up;
    int up_fail_status; /* refused upload: answer this once the body is read */
    struct buf up_fail_body;
    struct envd_download *dl;
    bool streaming, ended;
    bool was_high;
    struct envd_conn_owner owner;
};

#endif
