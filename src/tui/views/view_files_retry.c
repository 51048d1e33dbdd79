/* files_retry.c - one key (a, "again") starts a failed copy again: the transfer selected in
 * the transfers panel, else the newest failed copy. A copy fails cleanly (nothing under its
 * final name, xfer.h), so doing it again is always safe. A local boxtopd that died and was
 * restarted by boxtop serves envd on new ports: the view follows the backend's sandbox URL
 * first, so the retry of a copy that boxtopd's crash broke succeeds once it is back. */
#include "config.h"

#include <stdio.h>
#include <sys/stat.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "backend_fetch.h"
#include "files/fview.h"

void fv_follow_backend(struct fview *v)
{
    bfetch_follow_envd(v->a->be, v->envd);
}

static int is_copy(const struct fview *v, const struct xfer_job *j)
{
    return j != v->view_job && j != v->edit_job && j != v->edit_up;
}

void fv_retry(struct fview *v)
{
    struct app *a = v->a;
    struct xfer_job *j = NULL;
    if (!v->envd) {
        app_status(a, STATUS_WARN, "%s", _("not connected to the sandbox yet"));
        return;
    }
    if (v->xfocus && v->xsel >= 0 && (size_t)v->xsel < v->x.njobs) {
        j = v->x.jobs[v->xsel];
        if (j->state != XS_FAILED || !is_copy(v, j)) {
            app_status(a, STATUS_WARN, "%s", _("only a failed copy can be retried"));
            return;
        }
    }
    for (size_t i = v->x.njobs; !j && i-- > 0;)
        if (v->x.jobs[i]->state == XS_FAILED && is_copy(v, v->x.jobs[i])) j = v->x.jobs[i];
    if (!j) {
        app_status(a, STATUS_WARN, "%s", _("no failed copy to retry"));
        return;
    }
    fv_follow_backend(v);
    struct stat st; /* a sandbox source is asked with Stat; a local one is looked at again */
    int is_dir = j->dir == XFER_UP && stat(j->src, &st) == 0 && S_ISDIR(st.st_mode);
    if (!xfer_add(&v->x, j->dir, j->src, j->dst, is_dir)) {
        app_status(a, STATUS_ERROR, "%s", _("out of memory"));
        return;
    }
    app_status(a, STATUS_INFO, _("copying %s again"), j->src);
    app_dirty(a, DIRTY_MAIN);
}
