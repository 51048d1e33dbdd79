/* i18n.h - gettext wrappers: every user-visible string goes through _(). */
#ifndef BOXTOP_I18N_H
#define BOXTOP_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define ngettext_(s, p, n) ngettext(s, p, n)
#else
#define _(s) (s)
#define ngettext_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

/* bindtextdomain + textdomain for PACKAGE; call after setlocale(LC_ALL, ""). */
void i18n_init(void);

#endif
