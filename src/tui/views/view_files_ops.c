/* view_files_ops.c - the file browser's operations on either side: mkdir, rename, delete (asks
 * first), view (the head of a sandbox file through the remote face's peek, shown in the
 * pager, view_files_pager.c) and edit of a sandbox file in $EDITOR (downloaded through the
 * transfer engine, edited with curses suspended, uploaded through it again when the content
 * changed). The sandbox side goes through the backend's remote face (backend_remote.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/local_error.h"
#include "app.h"
#include "app_paste.h"
#include "files/fview.h"

/* ---- remote answers ---- */

/* A batch of remote operations (mkdir, rename, delete of the marked entries) says its
 * op_msg once all of them succeeded, or the first error. */
static void on_remote_op(const struct error *err, void *ud)
{
    struct fview *v = ud;
    if (v->op_pending > 0) v->op_pending--;
    if (err) {
        app_status_for_detail(v->a, &v->base, STATUS_ERROR, err->detail, "%s", err->msg);
        v->op_failed = 1;
    } else {
        if (!v->op_pending && !v->op_failed && v->op_msg[0])
            app_status_for(v->a, &v->base, STATUS_INFO, "%s", v->op_msg);
        fv_reload(v, &v->p[1]);
    }
    if (!v->op_pending) {
        v->op_failed = 0;
        v->op_msg[0] = '\0';
    }
}

/* What a finished operation (batch) says: local ones now, remote ones from on_remote_op. */
static void said_when_done(struct fview *v, int remote, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void said_when_done(struct fview *v, int remote, const char *fmt, ...)
{
    char msg[sizeof v->op_msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (remote)
        snprintf(v->op_msg, sizeof v->op_msg, "%s", msg);
    else
        app_status(v->a, STATUS_INFO, "%s", msg);
}

/* Start a remote operation answered by on_remote_op (abandoned if the view goes first): op
 * is the remote face's call, given on_remote_op and v. 0 when it started, else -1 and err. */
#define REMOTE_OP(v, op, ...)                                                                      \
    (fv_ready(v) ? ((v)->rem->ops->op((v)->rem, __VA_ARGS__, on_remote_op, (v), &err) == 0         \
                        ? ((v)->op_pending++, 0)                                                   \
                        : -1)                                                                      \
                 : (error_set(&err, ERROR_GENERIC, "%s", _("not connected")), -1))

static int valid_name(struct app *a, const char *name)
{
    if (!name || !name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
        app_status(a, STATUS_WARN, "%s", _("not a valid name"));
        return 0;
    }
    return 1;
}

/* ---- mkdir ---- */

static void mkdir_done(struct app *a, const char *text, int submit, void *ud)
{
    struct fview *v = ud;
    struct fpane *p = fv_cur(v);
    if (!submit || !text || !valid_name(a, text)) return;
    char *path = fpath_join(p->l.path, text);
    if (!path) return;
    struct error err = {0};
    said_when_done(v, p->remote, _("made directory %s"), text);
    if (!p->remote) {
        if (mkdir(path, 0777) < 0) {
            local_error(&err, LOCAL_MKDIR, "mkdir", path, errno);
            app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
        }
        p->want_sel = strdup(text);
        fv_reload(v, p);
    } else {
        if (REMOTE_OP(v, mkdir, path) < 0) {
            app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
            free(path);
            return;
        }
        free(p->want_sel);
        p->want_sel = strdup(text);
    }
    free(path);
}

void fv_ask_mkdir(struct fview *v)
{
    if (app_refuse_readonly(v->a, _("make a directory"))) return;
    app_prompt(v->a, _("New directory: "), "", NULL, mkdir_done, v);
}

/* ---- rename ---- */

static void ren_clear(struct fview *v)
{
    free(v->ren_from);
    free(v->ren_to);
    free(v->ren_name);
    v->ren_from = v->ren_to = v->ren_name = NULL;
}

/* Move ren_from to ren_to in pane ren_pane (asked about already when it replaces something). */
static void rename_go(struct fview *v)
{
    struct fpane *p = &v->p[v->ren_pane];
    struct error err = {0};
    if (!p->remote) {
        if (rename(v->ren_from, v->ren_to) < 0) {
            local_error(&err, LOCAL_RENAME, "rename", v->ren_from, errno);
            app_status_detail(v->a, STATUS_ERROR, err.detail, "%s", err.msg);
        } else
            app_status(v->a, STATUS_INFO, "%s", _("renamed"));
        free(p->want_sel);
        p->want_sel = strdup(v->ren_name);
        fv_reload(v, p);
    } else {
        said_when_done(v, 1, "%s", _("renamed"));
        if (REMOTE_OP(v, rename, v->ren_from, v->ren_to) < 0) {
            app_status_detail(v->a, STATUS_ERROR, err.detail, "%s", err.msg);
        } else {
            free(p->want_sel);
            p->want_sel = strdup(v->ren_name);
        }
    }
    ren_clear(v);
}

static void rename_overwrite(struct app *a, void *ud)
{
    (void)a;
    rename_go(ud);
}

/* Does name exist in pane p? Locally the file system says (the listing may be old); in the
 * sandbox the listing, which the directory watch keeps fresh. */
static int name_taken(struct fpane *p, const char *path, const char *name)
{
    struct stat st;
    if (!p->remote) return lstat(path, &st) == 0;
    return flist_has(&p->l, name);
}

static void rename_done(struct app *a, const char *text, int submit, void *ud)
{
    struct fview *v = ud;
    struct fpane *p = fv_cur(v);
    const struct fent *e = fv_selected(v, p);
    if (!submit || !text || !e || !valid_name(a, text)) return;
    if (!strcmp(text, e->name)) return; /* nothing to do */
    ren_clear(v);
    v->ren_from = fpath_join(p->l.path, e->name);
    v->ren_to = fpath_join(p->l.path, text);
    v->ren_name = strdup(text);
    v->ren_pane = v->act;
    if (!v->ren_from || !v->ren_to || !v->ren_name) {
        ren_clear(v);
        return;
    }
    if (!name_taken(p, v->ren_to, text)) {
        rename_go(v);
        return;
    }
    /* rename(2) and envd's Move replace the target: never without asking */
    struct buf b = BUF_INIT;
    buf_printf(&b, _("\"%s\" exists: overwrite it?"), text);
    app_confirm(a, buf_cstr(&b), rename_overwrite, v); /* drawn through ui_text */
    buf_free(&b);
}

void fv_ask_rename(struct fview *v)
{
    const struct fent *e = fv_selected(v, fv_cur(v));
    if (!e || app_refuse_readonly(v->a, _("rename"))) return;
    /* the prompt edits the raw name; control bytes are shown escaped by the input line */
    app_prompt(v->a, _("Rename to: "), e->name, NULL, rename_done, v);
}

/* ---- delete ---- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) < 0 ? -1 : 0;
}

static void delete_one(struct fview *v, struct fpane *p, const char *name)
{
    char *path = fpath_join(p->l.path, name);
    struct error err = {0};
    if (!path) return;
    if (!p->remote) {
        struct stat st;
        int is_dir = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
        int rc = is_dir ? nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) : unlink(path);
        if (rc < 0) {
            local_error(&err, LOCAL_DELETE, is_dir ? "nftw" : "unlink", path, errno);
            app_status_detail(v->a, STATUS_ERROR, err.detail, "%s", err.msg);
        }
    } else {
        if (REMOTE_OP(v, remove, path) < 0)
            app_status_detail(v->a, STATUS_ERROR, err.detail, "%s", err.msg);
    }
    free(path);
}

static void delete_confirmed(struct app *a, void *ud)
{
    (void)a;
    struct fview *v = ud;
    struct fpane *p = fv_cur(v);
    /* said first: an error of any of them comes after and stays */
    if (p->nmarks) {
        said_when_done(v, p->remote, ngettext_("deleted %d entry", "deleted %d entries", p->nmarks),
                       p->nmarks);
        for (int i = 0; i < p->nmarks; i++)
            delete_one(v, p, p->marks[i]);
        fv_marks_clear(p);
    } else if (fv_selected(v, p)) {
        char *n = strdup(fv_selected(v, p)->name);
        if (n) said_when_done(v, p->remote, _("deleted %s"), n);
        if (n) delete_one(v, p, n);
        free(n);
    }
    if (!p->remote) fv_reload(v, p);
}

void fv_ask_delete(struct fview *v)
{
    struct fpane *p = fv_cur(v);
    if (app_refuse_readonly(v->a, _("delete"))) return;
    struct buf b = BUF_INIT;
    if (p->nmarks)
        buf_printf(&b, _("Delete %d marked entries in %s?"), p->nmarks, p->l.path);
    else if (fv_selected(v, p))
        buf_printf(&b, _("Delete %s?"), fv_selected(v, p)->name);
    else
        return;
    app_confirm(v->a, buf_cstr(&b), delete_confirmed, v); /* drawn through ui_text */
    buf_free(&b);
}

/* ---- view / edit ---- */

static int ensure_tmpdir(struct fview *v)
{
    if (v->tmpdir) return 0;
    const char *t = getenv("TMPDIR");
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s/boxtop-files.XXXXXX", t && t[0] ? t : "/tmp");
    char *p = buf_steal(&b);
    if (!p || !mkdtemp(p)) {
        struct error err;
        local_error(&err, LOCAL_MKDIR, "mkdtemp", p ? p : "", p ? errno : ENOMEM);
        app_status_detail(v->a, STATUS_ERROR, err.detail, "%s", err.msg);
        free(p);
        return -1;
    }
    v->tmpdir = p;
    return 0;
}

/* A local scratch name for a sandbox file: the name itself when it is plain (editors pick a
 * syntax from the extension), "file" otherwise. */
static char *scratch_path(struct fview *v, const char *name)
{
    int plain = strlen(name) < 100;
    for (const unsigned char *c = (const unsigned char *)name; plain && *c; c++)
        if (*c < 0x20 || *c >= 0x7f) plain = 0;
    char sub[32];
    static const char *const none = "file";
    snprintf(sub, sizeof sub, "%u", ++v->scratch_seq);
    char *d = fpath_join(v->tmpdir, sub);
    if (!d) return NULL;
    mkdir(d, 0700);
    char *p = fpath_join(d, plain ? name : none);
    free(d);
    return p;
}

static int file_sum(const char *path, unsigned char out[32])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(c);
        close(fd);
        return -1;
    }
    char b[65536];
    ssize_t n;
    while ((n = read(fd, b, sizeof b)) > 0)
        EVP_DigestUpdate(c, b, (size_t)n);
    close(fd);
    unsigned len = 32;
    EVP_DigestFinal_ex(c, out, &len);
    EVP_MD_CTX_free(c);
    return n < 0 ? -1 : 0;
}

static void on_peek(int fd, size_t len, int more, const struct error *err, void *ud)
{
    struct fview *v = ud;
    char *title = v->peek_title;
    v->peek = NULL;
    v->peek_title = NULL;
    if (err) {
        app_status_detail(v->a, STATUS_ERROR, err->detail, _("cannot fetch the file: %s"),
                          err->msg);
    } else {
        app_status_clear(v->a); /* "fetching the file…" is over */
        app_push_view(v->a, fv_pager_new_fd(v->a, fd, len, more, title));
    }
    if (fd >= 0) close(fd);
    free(title);
}

/* The viewer reads only the head of a sandbox file (the remote face's peek); a name with a line
 * break goes through the transfer engine, which knows how to fetch those (its copy is removed as
 * soon as the pager has read it). */
void fv_view_file(struct fview *v)
{
    struct fpane *p = fv_cur(v);
    const struct fent *e = fv_selected(v, p);
    if (!e || e->type == FENT_DIR) return;
    char *path = fpath_join(p->l.path, e->name);
    if (!path) return;
    if (!p->remote) {
        app_push_view(v->a, fv_pager_new(v->a, path, path));
        free(path);
        return;
    }
    if (v->peek) v->rem->ops->peek_cancel(v->rem, v->peek);
    v->peek = NULL;
    free(v->peek_title);
    v->peek_title = NULL;
    char *local = NULL;
    struct error err = {0};
    int ok = fv_ready(v) && ensure_tmpdir(v) == 0;
    if (ok && strpbrk(path, "\r\n")) {
        ok = (local = scratch_path(v, e->name)) &&
             (v->view_job = v->rem->ops->copy(v->rem, XFER_DOWN, path, local, 0));
    } else if (ok) {
        v->peek_title = strdup(path);
        v->peek = v->peek_title
                      ? v->rem->ops->peek(v->rem, path, v->tmpdir, PAGER_MAX, on_peek, v, &err)
                      : NULL;
        ok = v->peek != NULL;
    }
    if (!ok)
        app_status(v->a, STATUS_ERROR, "%s", err.msg[0] ? err.msg : _("cannot fetch the file"));
    else
        app_status(v->a, STATUS_INFO, "%s", _("fetching the file…"));
    free(local);
    free(path);
}

void fv_edit_file(struct fview *v)
{
    struct fpane *p = fv_cur(v);
    const struct fent *e = fv_selected(v, p);
    if (!e || e->type == FENT_DIR) return;
    if (!p->remote) {
        app_status(v->a, STATUS_WARN, "%s", _("e edits sandbox files (switch with Tab)"));
        return;
    }
    if (app_refuse_readonly(v->a, _("edit"))) return;
    if (v->edit_job || v->edit_remote) {
        app_status(v->a, STATUS_WARN, "%s", _("an edit is already in progress"));
        return;
    }
    char *path = fpath_join(p->l.path, e->name), *local = NULL;
    if (!path || !fv_ready(v) || ensure_tmpdir(v) < 0 || !(local = scratch_path(v, e->name)) ||
        !(v->edit_job = v->rem->ops->copy(v->rem, XFER_DOWN, path, local, 0))) {
        app_status(v->a, STATUS_ERROR, "%s", _("cannot fetch the file"));
        free(path);
        free(local);
        return;
    }
    v->edit_remote = path;
    v->edit_local = local;
}

/* Run $EDITOR (or vi) on path with curses suspended; returns the wait status or -1. */
static int run_editor(struct app *a, const char *path)
{
    const char *ed = getenv("VISUAL");
    if (!ed || !ed[0]) ed = getenv("EDITOR");
    if (!ed || !ed[0]) ed = "vi";
    def_prog_mode();
    app_paste_mode(0); /* the editor gets the terminal as it would without boxtop */
    endwin();
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTSTP, SIG_DFL);
        execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *)NULL);
        _exit(127);
    }
    int st = -1;
    if (pid > 0)
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
    reset_prog_mode();
    app_paste_mode(1);
    app_dirty(a, DIRTY_ALL | DIRTY_CLEAR);
    return pid > 0 ? st : -1;
}

void fv_ops_job_done(struct fview *v, struct xfer_job *j)
{
    if (j == v->view_job) {
        v->view_job = NULL;
        if (j->state == XS_DONE) {
            app_status_clear(v->a);
            app_push_view(v->a, fv_pager_new(v->a, j->dst, j->src));
            unlink(j->dst); /* the pager holds what it shows */
        }
        return;
    }
    if (j == v->edit_up) {
        v->edit_up = NULL;
        if (j->state == XS_DONE) app_status(v->a, STATUS_INFO, "%s", _("saved to the sandbox"));
        free(v->edit_remote);
        free(v->edit_local);
        v->edit_remote = v->edit_local = NULL;
        return;
    }
    if (j != v->edit_job) return;
    v->edit_job = NULL;
    unsigned char after[32];
    if (j->state != XS_DONE || file_sum(v->edit_local, v->edit_sum) < 0) {
        free(v->edit_remote);
        free(v->edit_local);
        v->edit_remote = v->edit_local = NULL;
        return;
    }
    int st = run_editor(v->a, v->edit_local);
    if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        app_status(v->a, STATUS_WARN, "%s", _("the editor failed; nothing uploaded"));
    } else if (file_sum(v->edit_local, after) == 0 && memcmp(after, v->edit_sum, 32)) {
        v->edit_up = v->rem->ops->copy(v->rem, XFER_UP, v->edit_local, v->edit_remote, 0);
        if (v->edit_up) return;
        app_status(v->a, STATUS_ERROR, "%s", _("cannot upload the edited file"));
    } else {
        app_status(v->a, STATUS_INFO, "%s", _("unchanged; nothing uploaded"));
    }
    free(v->edit_remote);
    free(v->edit_local);
    v->edit_remote = v->edit_local = NULL;
}

static int rm_tree(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return rm_one(path, st, flag, ftw);
}

void fv_ops_free(struct fview *v)
{
    free(v->edit_remote);
    free(v->edit_local);
    ren_clear(v);
    if (v->peek) v->rem->ops->peek_cancel(v->rem, v->peek);
    v->peek = NULL;
    free(v->peek_title);
    if (v->tmpdir) nftw(v->tmpdir, rm_tree, 16, FTW_DEPTH | FTW_PHYS);
    free(v->tmpdir);
}
