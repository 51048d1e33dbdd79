/* main.c - boxtop entry point: command-line mode when a subcommand is given, else the TUI
 * (cli_main decides). */
#include "config.h"

#include <locale.h>

#include "boxtop/cli.h"
#include "boxtop/i18n.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    i18n_init();
    return cli_main(argc, argv);
}
