/* local_error.c - see local_error.h. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boxtop/fpath.h"
#include "boxtop/i18n.h"
#include "boxtop/local_error.h"

static const char *verb(enum local_op op)
{
    switch (op) {
    case LOCAL_WRITE:
        return _("cannot write %s");
    case LOCAL_LIST:
        return _("cannot list %s");
    case LOCAL_MKDIR:
        return _("cannot make the directory %s");
    case LOCAL_RENAME:
        return _("cannot rename %s");
    case LOCAL_DELETE:
        return _("cannot delete %s");
    default:
        return _("cannot read %s");
    }
}

static void user_name(uid_t uid, char *out, size_t n)
{
    struct passwd *pw = getpwuid(uid);
    if (pw && pw->pw_name)
        snprintf(out, n, "%s", pw->pw_name);
    else
        snprintf(out, n, "uid %lu", (unsigned long)uid);
}

/* A local path's directory: "." for a bare name (fpath_parent is for '/'-rooted paths). */
static char *dir_of(const char *path)
{
    return strchr(path, '/') ? fpath_parent(path) : strdup(".");
}

/* "(owner root, mode 0640; you are alice)" of what refused: creating, renaming or removing
 * an entry is its directory's permission, and so is writing a file that is not there or that
 * we may write; reading is the path's, unless we cannot even see it (its directory's). */
static void who_refused(enum local_op op, const char *path, char *out, size_t n)
{
    struct stat st;
    char *dir = dir_of(path);
    int there = stat(path, &st) == 0, on_dir;
    if (op == LOCAL_MKDIR || op == LOCAL_RENAME || op == LOCAL_DELETE)
        on_dir = 1;
    else if (op == LOCAL_WRITE)
        on_dir = !there || access(path, W_OK) == 0;
    else
        on_dir = !there;
    out[0] = '\0';
    if (on_dir && (!dir || stat(dir, &st) < 0)) {
        free(dir);
        return;
    }
    char owner[64], me[64];
    user_name(st.st_uid, owner, sizeof owner);
    user_name(geteuid(), me, sizeof me);
    if (on_dir)
        snprintf(out, n,
                 _("permission denied on its directory %s (owner %s, mode %04o; you are %s)"), dir,
                 owner, (unsigned)(st.st_mode & 07777), me);
    else
        snprintf(out, n, _("permission denied (owner %s, mode %04o; you are %s)"), owner,
                 (unsigned)(st.st_mode & 07777), me);
    free(dir);
}

int local_error(struct error *err, enum local_op op, const char *call, const char *path, int errnum)
{
    if (!err) return -1;
    if (!path) path = "";
    char what[ERROR_MSG_MAX], why[ERROR_MSG_MAX] = "";
    snprintf(what, sizeof what, verb(op), path);
    char *dir = NULL;
    switch (errnum) {
    case EACCES:
    case EPERM:
        who_refused(op, path, why, sizeof why);
        if (!why[0]) snprintf(why, sizeof why, "%s", _("permission denied"));
        break;
    case ENOSPC:
        error_set(err, ERROR_GENERIC, _("no space left on the device holding %s"), path);
        goto detail;
    case EDQUOT:
        error_set(err, ERROR_GENERIC, _("the disk quota is used up on the device holding %s"),
                  path);
        goto detail;
    case EISDIR:
        snprintf(why, sizeof why, "%s", _("it is a directory"));
        break;
    case ENOTDIR:
        snprintf(why, sizeof why, "%s",
                 op == LOCAL_LIST ? _("it is not a directory")
                                  : _("a part of its path is not a directory"));
        break;
    case ENOENT:
        dir = dir_of(path);
        if ((op == LOCAL_WRITE || op == LOCAL_MKDIR) && dir && access(dir, F_OK) < 0)
            snprintf(why, sizeof why, _("its directory %s does not exist"), dir);
        else
            snprintf(why, sizeof why, "%s", _("it does not exist"));
        free(dir);
        break;
    case EROFS:
        snprintf(why, sizeof why, "%s", _("the file system is read-only"));
        break;
    case EEXIST:
        snprintf(why, sizeof why, "%s", _("it exists already"));
        break;
    case ENOTEMPTY:
        snprintf(why, sizeof why, "%s", _("the directory is not empty"));
        break;
    case EMFILE:
    case ENFILE:
        snprintf(why, sizeof why, "%s", _("too many files are open; close some and try again"));
        break;
    case ELOOP:
        snprintf(why, sizeof why, "%s", _("a loop of symbolic links"));
        break;
    case ENAMETOOLONG:
        snprintf(why, sizeof why, "%s", _("the name is too long"));
        break;
    case EXDEV:
        snprintf(why, sizeof why, "%s", _("it cannot move to another file system"));
        break;
    case EIO:
        snprintf(why, sizeof why, "%s", _("an input/output error (the disk or the file system)"));
        break;
    default:
        snprintf(why, sizeof why, "%s", strerror(errnum));
        break;
    }
    error_set(err, errnum == ENOENT ? ERROR_NOT_FOUND : ERROR_GENERIC, "%s: %s", what, why);
detail:
    if (call)
        error_detail(err, "%s %s: %s (errno %d)", call, path, strerror(errnum), errnum);
    else
        error_detail(err, "%s: %s (errno %d)", path, strerror(errnum), errnum);
    return -1;
}
