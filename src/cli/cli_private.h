/* cli_private.h - helpers shared by the CLI's command files (not a public interface). */
#ifndef BOXTOP_CLI_PRIVATE_H
#define BOXTOP_CLI_PRIVATE_H

#include "boxtop/api.h"
#include "cli.h"
#include "boxtop/envd.h"

/* The result of one API call, moved out of the callback for synchronous use. */
struct cli_sync {
    bool done;
    struct error err;
    long status;
    struct sandbox_list sandboxes;
    size_t body_len; /* bytes of the answer (listings count them) */
    char *next_token;
    struct sandbox sandbox;
    struct metric_list metrics;
    struct log_list logs;
};

void cli_sync_cb(struct api_result *res, void *ud);
/* Run the loop until call is done (call NULL = could not start: err set). 0 or -1. */
int cli_sync_wait(struct cli *c, struct api_call *call, struct cli_sync *s);
void cli_sync_free(struct cli_sync *s);
/* Stat a sandbox path through envd, running the loop until the answer is in. 0 or -1. */
int cli_sync_stat(struct cli *c, struct envd_client *envd, const char *path, struct envd_entry *e,
                  struct error *err);

/* An empty history (logs, metrics) may mean a sandbox the server never had: servers that
 * answer those with 200 and nothing (not 404) are asked about the sandbox itself. Returns -1
 * with err (ERROR_NOT_FOUND: exit 3) when it is unknown, 0 otherwise. */
int cli_check_known(struct cli *c, const char *id, struct error *err);

/* No key and no boxtopd running: start the local backend and leave it running (cli_local.c).
 * 0 + out (free with local_backend_info_free), or -1 + err. */
struct local_backend_info;
int cli_start_local(struct cli *c, struct local_backend_info *out, struct error *err);

/* Let the loop run for ms (transfers keep going): how a command waits between polls. */
void cli_wait_ms(struct cli *c, int ms);

/* Print a cJSON document (pretty) or one JSON line, then free it. */
void cli_print_json(struct cli *c, cJSON *doc, bool one_line);
/* Print help text for a command and return 0. */
int cli_help(struct cli *c, const char *text);

#endif
