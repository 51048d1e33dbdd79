/* entry.c - EntryInfo as envd renders it (see entry.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "boxtop/json.h"
#include "confine.h"
#include "entry.h"

void denvd_mode_string(mode_t m, char out[16])
{
    /* Go prints its type bits in the order of "dalTLDpSugct?"; only the ones a Unix mode
     * can map to are reachable here. */
    size_t w = 0;
    switch (m & S_IFMT) {
    case S_IFDIR:
        out[w++] = 'd';
        break;
    case S_IFLNK:
        out[w++] = 'L';
        break;
    case S_IFBLK:
        out[w++] = 'D';
        break;
    case S_IFCHR:
        out[w++] = 'D';
        break;
    case S_IFIFO:
        out[w++] = 'p';
        break;
    case S_IFSOCK:
        out[w++] = 'S';
        break;
    default:
        break;
    }
    if (m & S_ISUID) out[w++] = 'u';
    if (m & S_ISGID) out[w++] = 'g';
    if ((m & S_IFMT) == S_IFCHR) out[w++] = 'c';
    if (m & S_ISVTX) out[w++] = 't';
    if (w == 0) out[w++] = '-';
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        out[w++] = (m & (1u << (8 - i))) ? rwx[i] : '-';
    out[w] = '\0';
}

void denvd_format_timestamp(struct timespec ts, char *out, size_t n)
{
    json_format_time_ns(ts.tv_sec, ts.tv_nsec, JSON_TIME_SHORTEST, out, n);
}

static enum denvd_file_type type_of(mode_t m)
{
    if (S_ISREG(m)) return ENVD_FT_FILE;
    if (S_ISDIR(m)) return ENVD_FT_DIRECTORY;
    if (S_ISLNK(m)) return ENVD_FT_SYMLINK;
    return ENVD_FT_UNSPECIFIED;
}

int denvd_entry_stat(int root_fd, const char *abs, struct denvd_entry *e)
{
    struct stat st;
    int r = cf_lstat(root_fd, abs, &st);
    if (r < 0) return r;
    memset(e, 0, sizeof *e);
    char parent[ENVD_PATH_MAX];
    denvd_path_split(abs, parent, sizeof parent, e->name, sizeof e->name);
    if (strcmp(abs, "/") == 0) snprintf(e->name, sizeof e->name, "/");
    snprintf(e->path, sizeof e->path, "%s", abs);
    e->size = (int64_t)st.st_size;
    denvd_mode_string(st.st_mode, e->perms);
    e->uid = st.st_uid;
    e->gid = st.st_gid;
    e->mtime = st.st_mtim;
    if (S_ISLNK(st.st_mode)) {
        e->has_target = 1;
        struct stat tst;
        /* envd reports the fully resolved target, or the link's own path if that fails */
        if (cf_realpath(root_fd, abs, e->target, sizeof e->target) < 0 ||
            cf_stat(root_fd, abs, &tst) < 0) {
            snprintf(e->target, sizeof e->target, "%s", abs);
            e->type = ENVD_FT_UNSPECIFIED;
            e->mode = 0;
        } else {
            e->type = type_of(tst.st_mode);
            e->mode = (uint32_t)(tst.st_mode & 0777);
        }
    } else {
        e->type = type_of(st.st_mode);
        e->mode = (uint32_t)(st.st_mode & 0777);
    }
    return 0;
}

const char *denvd_file_type_name(enum denvd_file_type t)
{
    switch (t) {
    case ENVD_FT_FILE:
        return "FILE_TYPE_FILE";
    case ENVD_FT_DIRECTORY:
        return "FILE_TYPE_DIRECTORY";
    case ENVD_FT_SYMLINK:
        return "FILE_TYPE_SYMLINK";
    default:
        return "FILE_TYPE_UNSPECIFIED";
    }
}

cJSON *denvd_entry_json(const struct denvd_entry *e, const char *owner, const char *group)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    char num[32], ts[64];
    cJSON_AddStringToObject(o, "name", e->name);
    if (e->type != ENVD_FT_UNSPECIFIED) /* proto3 omits the zero enum */
        cJSON_AddStringToObject(o, "type", denvd_file_type_name(e->type));
    cJSON_AddStringToObject(o, "path", e->path);
    if (e->size != 0) {
        snprintf(num, sizeof num, "%" PRId64, e->size);
        cJSON_AddStringToObject(o, "size", num);
    }
    if (e->mode != 0) cJSON_AddNumberToObject(o, "mode", e->mode);
    cJSON_AddStringToObject(o, "permissions", e->perms);
    if (owner && *owner) cJSON_AddStringToObject(o, "owner", owner);
    if (group && *group) cJSON_AddStringToObject(o, "group", group);
    denvd_format_timestamp(e->mtime, ts, sizeof ts);
    cJSON_AddStringToObject(o, "modifiedTime", ts);
    if (e->has_target) cJSON_AddStringToObject(o, "symlinkTarget", e->target);
    return o;
}
