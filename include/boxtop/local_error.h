/* local_error.h - a failed call on a local file in words a person acts on ("cannot read
 * PATH: permission denied (owner root, mode 0640; you are alice)", "no space left on the
 * device holding PATH") instead of "PATH: Permission denied"; the call and strerror() stay
 * as the error's detail. */
#ifndef BOXTOP_LOCAL_ERROR_H
#define BOXTOP_LOCAL_ERROR_H

#include "boxtop/error.h"

/* What was being done to the path (the verb of the message). */
enum local_op {
    LOCAL_READ = 0, /* open/read a file, or stat it */
    LOCAL_WRITE,    /* create or write a file (a missing or closed directory is its parent's) */
    LOCAL_LIST,     /* read a directory */
    LOCAL_MKDIR,    /* make a directory */
    LOCAL_RENAME,   /* rename or move */
    LOCAL_DELETE,   /* remove a file or directory */
};

/* Fill err (may be NULL) for errnum of op on path and return -1: kind ERROR_NOT_FOUND for
 * ENOENT, else ERROR_GENERIC; the owner and mode of the path (or of its directory, when the
 * path is missing or its directory is what refused) for a permission error; detail
 * "CALL PATH: strerror (errno N)". call names the system call ("open"); NULL = none. */
int local_error(struct error *err, enum local_op op, const char *call, const char *path,
                int errnum);

#endif
