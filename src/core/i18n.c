/* i18n.c - message catalogue set-up. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "boxtop/i18n.h"

void i18n_init(void)
{
#ifdef ENABLE_NLS
    /* BOXTOP_LOCALEDIR: catalogues of an uninstalled build (the tests' German run) */
    const char *dir = getenv("BOXTOP_LOCALEDIR");
    bindtextdomain(PACKAGE, dir && *dir == '/' ? dir : LOCALEDIR);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
#endif
}
