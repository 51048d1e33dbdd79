/* fuzz_replay_file.c - the --replay loader (model_from_json, src/tui/model_json.c) on hostile
 * bytes: no crash, and what it accepts it can write back and read again to the same number
 * of sandboxes (a recording boxtop makes from a replay must replay). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "model.h"
#include "model_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const int64_t now = 1700000000000;
    struct model m, again;
    struct error err = {0};
    model_init(&m);
    if (model_from_json(&m, (const char *)data, size, now, &err) == 0) {
        struct buf out = BUF_INIT;
        if (model_to_json(&m, now, &out, &err) != 0) abort();
        model_init(&again);
        if (model_from_json(&again, out.data, out.len, now, &err) != 0) abort();
        if (again.n != m.n) abort();
        model_free(&again);
        buf_free(&out);
    }
    model_free(&m);
    return 0;
}
