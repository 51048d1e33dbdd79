/* fuzz_snapvol_json.c - snapshot, volume and fork answers (snapvol.h), and the mount path of a
 * sandbox detail: every parser gets the same bytes. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/snapvol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *b = (const char *)data;
    struct error err = {0};
    struct snapshot_list sl;
    if (snapshot_list_parse(b, size, &sl, &err) == 0) {
        for (int i = 0; i < sl.n; i++)
            if (!sl.items[i].id || sl.items[i].size < -1) abort();
        snapshot_list_free(&sl);
    }
    struct snapshot_info si;
    if (snapshot_info_parse(b, size, &si, &err) == 0) {
        if (!si.id) abort();
        snapshot_info_free(&si);
    }
    struct volume_list vl;
    if (volume_list_parse(b, size, &vl, &err) == 0) {
        for (int i = 0; i < vl.n; i++) {
            if (!vl.items[i].id) abort();
            for (int k = 0; k < vl.items[i].n_mounted; k++)
                if (!vl.items[i].mounted_by[k]) abort();
        }
        volume_list_free(&vl);
    }
    struct volume_info vi;
    if (volume_info_parse(b, size, &vi, &err) == 0) volume_info_free(&vi);
    struct fork_results fr;
    if (fork_results_parse(b, size, &fr, &err) == 0) {
        for (int i = 0; i < fr.n; i++)
            if (!fr.items[i].sandbox_id && !fr.items[i].message) abort();
        fork_results_free(&fr);
    }
    char path[64];
    if (volume_mount_path(b, size, "data", path, sizeof path, &err) == 0 && path[0] != '/') abort();
    return 0;
}
