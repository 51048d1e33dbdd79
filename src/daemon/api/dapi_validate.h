/* dapi_validate.h - pure parsing and validation of the platform API's JSON request bodies (no
 * server, no sandboxes), so they can be unit-tested and fuzzed. Each function returns 0, or
 * an HTTP status (400, 404) with err->msg set to the message to send. */
#ifndef BOXTOPD_VALIDATE_H
#define BOXTOPD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"

struct cJSON;

#define VALIDATE_MAX_TIMEOUT_S (24 * 3600) /* the local team's max sandbox length */

struct create_req {
    char template_ref[128];
    int64_t timeout_s;
    bool auto_pause, auto_resume, secure, allow_internet;
    struct cJSON *metadata;      /* owned; NULL when absent */
    struct cJSON *env_vars;      /* owned; NULL when absent */
    bool auto_pause_fs_only;     /* autoPauseMemory: false */
    struct cJSON *volume_mounts; /* owned [{"name","path"}] (names not looked up); NULL */
    struct cJSON *network;       /* owned network object (rules not checked); NULL */
};

/* Parse body (exactly len bytes) as a JSON object; empty -> {} when allow_empty. */
int validate_object(const char *body, size_t len, bool allow_empty, struct cJSON **out,
                    struct error *err);
/* POST /sandboxes (v2=false) and /v2/sandboxes (v2=true). */
int validate_create(const char *body, size_t len, bool v2, struct create_req *out,
                    struct error *err);
/* The same, where known(ud, ref) may accept template references other than base (snapshots). */
int validate_create_ex(const char *body, size_t len, bool v2, bool (*known)(void *, const char *),
                       void *ud, struct create_req *out, struct error *err);
void create_req_free(struct create_req *r);
/* The optional "memory" flag of pause/connect/resume bodies (default true; the body was
 * validated by the call's own function first). */
bool validate_memory_flag(const char *body, size_t len);
/* True for the template references boxtopd has: base, base:default, base:latest, ns/base. */
bool validate_template_ref(const char *ref);

/* POST /sandboxes/{id}/connect and /v2/.../connect: timeout (default 300, >= 0). */
int validate_connect(const char *body, size_t len, int64_t *timeout_s, struct error *err);
/* POST /sandboxes/{id}/timeout: required timeout, negative -> 0. */
int validate_timeout(const char *body, size_t len, int64_t *timeout_s, struct error *err);
/* POST /sandboxes/{id}/refreshes: duration 0..3600, < 15 -> 15. */
int validate_refresh(const char *body, size_t len, int64_t *duration_s, struct error *err);
/* POST /sandboxes/{id}/resume: timeout (default 15), autoPause (has_auto_pause says if set). */
int validate_resume(const char *body, size_t len, int64_t *timeout_s, bool *auto_pause,
                    bool *has_auto_pause, struct error *err);
/* POST /sandboxes/{id}/pause: optional {"memory": bool}. */
int validate_pause(const char *body, size_t len, struct error *err);

#endif
