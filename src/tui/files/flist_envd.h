/* flist_envd.h - envd's parsed ListDir and Stat answers as file-pane entries. The backend's
 * side of the remote file system (backend_e2b_remote.c) uses it, so the views see only struct
 * fent. Pure (tests/unit/test_tui_files.c). */
#ifndef BOXTOP_TUI_FILES_FLIST_ENVD_H
#define BOXTOP_TUI_FILES_FLIST_ENVD_H

#include "boxtop/envd.h"
#include "boxtop/error.h"
#include "files/flist.h"

/* Take an envd ListDir answer (depth 1) for path; hostile or useless names are dropped. */
int flist_set_envd(struct flist *l, const char *path, const struct envd_entries *es,
                   struct error *err);
/* One entry (Stat): 0, or -1 for a name that must never become a path (e is then empty). */
int fent_set_envd(struct fent *e, const struct envd_entry *s);

#endif
