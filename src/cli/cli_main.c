/* main.c - boxtop entry point: command-line mode when a subcommand is given, else the TUI
 * (cli_main decides). */
#include "config.h"

#include <locale.h>

#include "cli.h"
#include "boxtop/i18n.h"
#include "../tui/tui.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    i18n_init();
    if (cli_wants_tui(argc, argv))
        return tui_main(argc, argv); /* the TUI reads the global flags itself */
    return cli_main(argc, argv);
}
