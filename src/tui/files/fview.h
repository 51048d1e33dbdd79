/* fview.h - the file browser view's private state, shared by its files: views/view_files.c (keys,
 * mouse, the view's life), view_files_pane.c (listings, marks, live updates), view_files_draw.c
 * (panes and the transfers panel), view_files_copy.c (the copy queue and its clash question),
 * view_files_ops.c (mkdir, rename, delete, view, edit) and view_files_pager.c. Calls go one way:
 * view_files.c uses the others, view_files_ops.c the pane and the pager, and view_files_pane.c none
 * of them. The sandbox side is the backend's remote face (backend_remote.h): no view file talks to
 * envd. */
#ifndef BOXTOP_TUI_FILES_FVIEW_H
#define BOXTOP_TUI_FILES_FVIEW_H

#include "app.h"
#include "backend_remote.h"
#include "files/flist.h"

#define FV_RELIST_MS  100 /* coalesce a burst of WatchDir events into one ListDir */
#define FV_REWATCH_MS 3000

struct fpane {
    int remote;
    struct flist l;
    long sel, top;
    char **marks; /* marked names */
    int nmarks, capmarks;
    int loading;
    char err[ERROR_MSG_MAX + 64];
    struct brem_req *req; /* remote listing in flight */
    char *want_sel;       /* select this name after the next listing */
};

/* One item waiting for the copy dialog. */
struct fcopy {
    char *name;
    int is_dir;
};

enum fv_ask { ASK_NONE = 0, ASK_CLASH };
enum fv_all { ALL_ASK = 0, ALL_OVERWRITE, ALL_SKIP };

struct fview {
    struct view base;
    struct app *a;
    char *id;
    struct bremote *rem; /* the sandbox's file system (NULL: the lookup did not start) */
    struct fpane p[2];   /* 0 local, 1 sandbox */
    int act;
    struct brem_watch *watch;
    char *watch_path;
    int64_t relist_timer, rewatch_timer;
    int watch_fails; /* watches in a row that ended in an error (backs the next one off) */
    int xfocus;      /* keys go to the transfers panel */
    long xsel;
    int body_h, pane_w, list_y, xpanel_y;
    /* copy queue (the clash dialog walks it) */
    struct fcopy *cq;
    int ncq, icq;
    int cq_from; /* source pane */
    char *cq_src_dir, *cq_dst_dir;
    enum fv_ask ask;
    enum fv_all all;
    /* view / edit */
    char *tmpdir;
    struct xfer_job *view_job, *edit_job, *edit_up;
    struct brem_peek *peek; /* the viewer's bounded read in flight */
    unsigned scratch_seq;   /* scratch directories for view / edit copies */
    char *peek_title;
    char *edit_local, *edit_remote;
    unsigned char edit_sum[32];
    /* a rename onto an existing name waits for the overwrite question (view_files_ops.c) */
    char *ren_from, *ren_to, *ren_name;
    int ren_pane;
    int saw_paused; /* the model said paused: relist once it runs again */
    /* remote operations in flight and what they say when all succeeded (view_files_ops.c) */
    int op_pending, op_failed;
    char op_msg[160];
    int64_t last_click_ms;
    long last_click_row;
};

/* The sandbox answers (its remote session is connected). */
static inline int fv_ready(const struct fview *v)
{
    return v->rem && v->rem->ops->state(v->rem) == BREM_READY;
}

/* view_files_pane.c */
struct fpane *fv_cur(struct fview *v);
const struct fent *fv_selected(struct fview *v, struct fpane *p);
void fv_reload(struct fview *v, struct fpane *p);
int fv_marked(struct fpane *p, const char *name);
void fv_mark_toggle(struct fpane *p, const char *name);
void fv_marks_clear(struct fpane *p);
void fv_clamp_sel(struct fpane *p);
int fv_box_paused(struct fview *v); /* envd of a paused sandbox answers "not found" */
/* Change p's directory to path; select sel_name (may be NULL) after listing. */
void fv_pane_cd(struct fview *v, struct fpane *p, const char *path, const char *sel_name);
void fv_pane_up(struct fview *v, struct fpane *p);
void fv_watch_start(struct fview *v); /* watch the sandbox pane's directory */
void fv_pane_free(struct fview *v);   /* listings, marks, the watch and its timers */

/* view_files_draw.c */
void fv_draw(struct view *vv, struct app *a, WINDOW *w, int h, int wd);

/* view_files_copy.c */
void fv_start_copy(struct fview *v);
void fv_clash_answer(struct fview *v, int ch);
void fv_cq_free(struct fview *v);

/* view_files_ops.c */
void fv_ask_mkdir(struct fview *v);
void fv_ask_rename(struct fview *v);
void fv_ask_delete(struct fview *v);
void fv_view_file(struct fview *v);
void fv_edit_file(struct fview *v);
/* The transfer j finished: a view/edit download or the edit's upload. */
void fv_ops_job_done(struct fview *v, struct xfer_job *j);
void fv_ops_free(struct fview *v);

/* view_files_retry.c: the retry key (a) */
void fv_retry(struct fview *v);

/* view_files_pager.c */
#define PAGER_MAX (4 * 1024 * 1024) /* the pager reads at most this much of a file */
/* A pager over a local file (text sanitized, binary as hex); title is raw. */
struct view *fv_pager_new(struct app *a, const char *path, const char *title);
/* The same over the first len bytes of fd (read with pread); more: the file goes on. */
struct view *fv_pager_new_fd(struct app *a, int fd, size_t len, int more, const char *title);

#endif
