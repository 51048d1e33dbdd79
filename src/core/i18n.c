/* i18n.c - message catalogue set-up. */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boxtop/i18n.h"

#ifdef ENABLE_NLS
/* Run from the build tree (the executable lives under it), boxtop uses the build's own
 * catalogues (po/locale, made by `make`), so `LANG=de_DE.UTF-8 src/boxtop` works as the README
 * shows; installed, the installed ones under LOCALEDIR. Fills out and returns 1 when so. */
static int build_tree_localedir(char *out, size_t n)
{
#ifdef BOXTOP_BUILDDIR
    char exe[PATH_MAX], top[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0 || !realpath(BOXTOP_BUILDDIR, top)) return 0;
    exe[k] = '\0';
    size_t tl = strlen(top);
    if (strncmp(exe, top, tl) != 0 || exe[tl] != '/') return 0;
    struct stat st;
    if (snprintf(out, n, "%s/po/locale", top) >= (int)n || stat(out, &st) < 0 ||
        !S_ISDIR(st.st_mode))
        return 0;
    return 1;
#else
    (void)out;
    (void)n;
    return 0;
#endif
}
#endif

void i18n_init(void)
{
#ifdef ENABLE_NLS
    /* BOXTOP_LOCALEDIR: catalogues elsewhere (an absolute path) */
    const char *dir = getenv("BOXTOP_LOCALEDIR");
    char build[PATH_MAX + 16];
    if (!dir || *dir != '/') dir = build_tree_localedir(build, sizeof build) ? build : LOCALEDIR;
    bindtextdomain(PACKAGE, dir);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
#endif
}
