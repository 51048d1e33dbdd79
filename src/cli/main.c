/* main.c - boxtop entry point: command-line mode when a subcommand is given, else the TUI. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "boxtop/i18n.h"

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    i18n_init();
    if (argc > 1 && (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version"))) {
        printf("boxtop %s\n", PACKAGE_VERSION);
        return 0;
    }
    fprintf(stderr, _("boxtop: no backend is reachable yet (boxtopd is not built in this version)\n"));
    return 1;
}
