/* tui_absent.c - stands in for the terminal UI in builds without it (the TUI branch provides
 * the real tui_main; the integrator swaps this file out). */
#include "config.h"

#include <stdio.h>

#include "boxtop/i18n.h"
#include "boxtop/tui.h"

int tui_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, _("boxtop: the terminal UI is not part of this build; try 'boxtop --help' "
                      "for the command-line mode\n"));
    return 1;
}
