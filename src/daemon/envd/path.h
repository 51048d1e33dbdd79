/* path.h - envd path rules, pure string work: expand "~", resolve relative paths against the
 * user's home, and clean the result like Go's filepath.Clean (no symlinks looked at; the
 * confined open in confine.h does that inside the sandbox root). */
#ifndef BOXTOPD_ENVD_PATH_H
#define BOXTOPD_ENVD_PATH_H

#include <stddef.h>

#include "boxtop/error.h"

#define ENVD_PATH_MAX 4096

/* Lexically clean an absolute or relative path in place ("" becomes "."). */
void denvd_path_clean(char *p);

/* in → absolute cleaned sandbox path in out. "" → home; "~", "~/x" → home-based; "~user" →
 * error (ERROR_USAGE, as envd's invalid_argument); relative → home + "/" + in. */
int denvd_path_resolve(const char *in, const char *home, char *out, size_t n, struct error *err);

/* Split an absolute cleaned path into its parent ("/" for top level) and base name. For "/"
 * itself base is "." (the directory itself). */
void denvd_path_split(const char *abs, char *parent, size_t pn, char *base, size_t bn);

#endif
