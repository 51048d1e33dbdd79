/* i18n.c - message catalogue set-up. */
#include "config.h"

#include <locale.h>

#include "boxtop/i18n.h"

void i18n_init(void)
{
#ifdef ENABLE_NLS
    bindtextdomain(PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    textdomain(PACKAGE);
#endif
}
