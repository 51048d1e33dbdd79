/* view_files_retry.c - one key (a, "again") starts a failed copy again: the transfer selected
 * in the transfers panel, else the newest failed copy. A copy fails cleanly (nothing under its
 * final name, xfer.h), so doing it again is always safe. A local boxtopd that died and was
 * restarted by boxtop serves envd on new ports: the remote face follows the backend's sandbox
 * URL before each copy (backend_remote.h), so the retry of a copy that boxtopd's crash broke
 * succeeds once it is back. */
#include "config.h"

#include <sys/stat.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "files/fview.h"

static int is_copy(const struct fview *v, const struct xfer_job *j)
{
    return j != v->view_job && j != v->edit_job && j != v->edit_up;
}

void fv_retry(struct fview *v)
{
    struct app *a = v->a;
    struct xfer_job *j = NULL;
    if (!fv_ready(v)) {
        app_status(a, STATUS_WARN, "%s", _("not connected to the sandbox yet"));
        return;
    }
    size_t nj = 0;
    struct xfer_job *const *jobs = v->rem->ops->jobs(v->rem, &nj);
    if (v->xfocus && v->xsel >= 0 && (size_t)v->xsel < nj) {
        j = jobs[v->xsel];
        if (j->state != XS_FAILED || !is_copy(v, j)) {
            app_status(a, STATUS_WARN, "%s", _("only a failed copy can be retried"));
            return;
        }
    }
    for (size_t i = nj; !j && i-- > 0;)
        if (jobs[i]->state == XS_FAILED && is_copy(v, jobs[i])) j = jobs[i];
    if (!j) {
        app_status(a, STATUS_WARN, "%s", _("no failed copy to retry"));
        return;
    }
    struct stat st; /* a sandbox source is asked with Stat; a local one is looked at again */
    int is_dir = j->dir == XFER_UP && stat(j->src, &st) == 0 && S_ISDIR(st.st_mode);
    /* the failed job stays listed (only the array of pointers grows): j is still valid */
    if (!v->rem->ops->copy(v->rem, j->dir, j->src, j->dst, is_dir)) {
        app_status(a, STATUS_ERROR, "%s", _("out of memory"));
        return;
    }
    app_status(a, STATUS_INFO, _("copying %s again"), j->src);
    app_dirty(a, DIRTY_MAIN);
}
