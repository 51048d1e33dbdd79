/* rpcmsg.h - decode the JSON of envd's Connect requests (process.* and filesystem.*) into
 * plain structs, following proto3 JSON rules: lowerCamelCase or original field names,
 * 32-bit numbers as JSON numbers or decimal strings, enums by name or number, bytes as std or
 * URL-safe base64 with or without padding, unknown fields ignored. Pure; strings point into
 * the cJSON tree the caller keeps alive. Errors are ERROR_USAGE (→ invalid_argument). */
#ifndef BOXTOPD_ENVD_RPCMSG_H
#define BOXTOPD_ENVD_RPCMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

struct denvd_selector {
    bool has_pid;
    uint32_t pid;
    const char *tag; /* when !has_pid */
};

struct denvd_pty_size {
    bool present;
    uint32_t cols, rows;
};

struct denvd_start_req {
    const char *cmd;
    const char **args; /* malloc'd array of nargs pointers into the tree */
    size_t nargs;
    const char **env_keys, **env_vals;
    size_t nenvs;
    const char *cwd; /* NULL when absent */
    struct denvd_pty_size pty;
    const char *tag;
    bool has_stdin, stdin_on;
};

enum denvd_input_kind { ENVD_INPUT_NONE = 0, ENVD_INPUT_STDIN, ENVD_INPUT_PTY };

struct denvd_input {
    enum denvd_input_kind kind;
    struct buf data; /* decoded bytes; caller frees */
};

struct denvd_watch_req {
    const char *path;
    bool recursive, include_entry, allow_network_mounts;
};

/* -1 for a malformed selector (invalid_argument); DENVD_SELECTOR_EMPTY when none is set (no
 * process, null, or neither pid nor tag), which envd answers with unimplemented "invalid input
 * type *process.ProcessSelector" once the rest of the message has decoded. */
#define DENVD_SELECTOR_EMPTY (-2)
int denvd_parse_selector(const cJSON *msg, const char *key, struct denvd_selector *sel,
                         struct error *err);
int denvd_parse_start(const cJSON *msg, struct denvd_start_req *req, struct error *err);
void denvd_start_req_free(struct denvd_start_req *req);
/* SendInputRequest / StreamInput data: {"process":…, "input":{"stdin"|"pty":"b64"}}. The
 * selector is optional here (StreamInput data events carry none). */
int denvd_parse_input(const cJSON *input_obj, struct denvd_input *in, struct error *err);
int denvd_parse_pty(const cJSON *msg, struct denvd_pty_size *pty, struct error *err);
/* "SIGNAL_SIGKILL" / 9 → 9, "SIGNAL_SIGTERM" / 15 → 15, anything else → 0. */
int denvd_parse_signal(const cJSON *msg, int *signo, struct error *err);
/* Optional string field (proto name accepted too); NULL when absent. */
int denvd_get_str(const cJSON *msg, const char *json_name, const char *proto_name, const char **out,
                  struct error *err);
int denvd_get_u32(const cJSON *msg, const char *json_name, const char *proto_name, uint32_t *out,
                  struct error *err);
int denvd_get_bool(const cJSON *msg, const char *json_name, const char *proto_name, bool *out,
                   struct error *err);
int denvd_parse_watch(const cJSON *msg, struct denvd_watch_req *w, struct error *err);

#endif
