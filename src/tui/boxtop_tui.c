/* boxtop_tui.c - a stand-alone driver for the TUI (tests use it until src/cli wires
 * tui_main() in; it takes the same flags as `boxtop` with no subcommand). */
#include "config.h"

#include <locale.h>

#include "boxtop/i18n.h"
#include "tui.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    i18n_init();
    return tui_main(argc, argv);
}
