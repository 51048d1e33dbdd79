/* cp_args.c - parse `boxtop cp` arguments (local path vs ID:/path). Paths that come back from
 * the sandbox are vetted by the transfer engine (xfer_relpath_safe). */
#include "config.h"

#include <string.h>

#include "cp_args.h"

static bool has_controls(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return true;
    return false;
}

int cp_arg_parse(const char *arg, struct cp_arg *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (!arg || !*arg) return error_set(err, ERROR_USAGE, "empty path");
    size_t total = strlen(arg);
    if (total > CP_ID_MAX + 1 + CP_PATH_MAX) return error_set(err, ERROR_USAGE, "path too long");
    if (has_controls(arg)) return error_set(err, ERROR_USAGE, "path contains control characters");
    size_t idlen = strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789");
    if (idlen > 0 && arg[idlen] == ':') {
        if (idlen > CP_ID_MAX) return error_set(err, ERROR_USAGE, "sandbox ID too long");
        const char *path = arg + idlen + 1;
        if (!*path) return error_set(err, ERROR_USAGE, "missing path after the sandbox ID");
        if (strlen(path) > CP_PATH_MAX) return error_set(err, ERROR_USAGE, "path too long");
        out->remote = true;
        memcpy(out->id, arg, idlen);
        out->id[idlen] = '\0';
        out->path = path;
        return 0;
    }
    if (total > CP_PATH_MAX) return error_set(err, ERROR_USAGE, "path too long");
    out->path = arg;
    return 0;
}

int cp_args_plan(const char *src, const char *dst, struct cp_plan *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (cp_arg_parse(src, &out->src, err) < 0) {
        error_prefix(err, "source");
        return -1;
    }
    if (cp_arg_parse(dst, &out->dst, err) < 0) {
        error_prefix(err, "destination");
        return -1;
    }
    if (out->src.remote && out->dst.remote)
        return error_set(err, ERROR_USAGE, "copying between two sandbox paths is not supported");
    if (!out->src.remote && !out->dst.remote)
        return error_set(err, ERROR_USAGE, "one side must be a sandbox path written ID:/path");
    out->dir = out->src.remote ? CP_DOWNLOAD : CP_UPLOAD;
    out->sandbox_id = out->src.remote ? out->src.id : out->dst.id;
    return 0;
}
