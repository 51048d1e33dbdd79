/* fuzz_envd_request.c - decoding of envd Connect request messages on hostile JSON.
 * First byte picks the message kind; the rest is the request body. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rpcmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    cJSON *msg = cJSON_ParseWithLength((const char *)data + 1, size - 1);
    if (!msg) return 0;
    struct error err;
    switch (data[0] % 6) {
    case 0: {
        struct denvd_start_req req;
        if (denvd_parse_start(msg, &req, &err) == 0) {
            for (size_t i = 0; i < req.nargs; i++)
                if (!req.args[i]) abort();
            for (size_t i = 0; i < req.nenvs; i++)
                if (!req.env_keys[i] || !req.env_vals[i] || strchr(req.env_keys[i], '=')) abort();
            denvd_start_req_free(&req);
        }
        break;
    }
    case 1: {
        struct denvd_selector sel;
        if (denvd_parse_selector(msg, "process", &sel, &err) == 0 && !sel.has_pid && !sel.tag)
            abort();
        break;
    }
    case 2: {
        struct denvd_input in = {ENVD_INPUT_NONE, BUF_INIT};
        const cJSON *io = cJSON_GetObjectItemCaseSensitive(msg, "input");
        if (denvd_parse_input(io, &in, &err) == 0 && in.kind == ENVD_INPUT_NONE && in.data.len)
            abort();
        buf_free(&in.data);
        break;
    }
    case 3: {
        struct denvd_pty_size pty;
        if (denvd_parse_pty(msg, &pty, &err) == 0 && (pty.cols > 0xffff || pty.rows > 0xffff))
            abort();
        break;
    }
    case 4: {
        int signo;
        if (denvd_parse_signal(msg, &signo, &err) == 0 && signo != 0 && signo != 9 && signo != 15)
            abort();
        break;
    }
    default: {
        struct denvd_watch_req w;
        if (denvd_parse_watch(msg, &w, &err) == 0 && !w.path) abort();
        break;
    }
    }
    cJSON_Delete(msg);
    return 0;
}
