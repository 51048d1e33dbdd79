/* tui.h - the interactive terminal UI (what `boxtop` with no subcommand runs). */
#ifndef BOXTOP_TUI_H
#define BOXTOP_TUI_H

/* argv as given to boxtop (global flags such as --api-url, --context, --readonly, --record).
 * Returns the process exit code. */
int tui_main(int argc, char **argv);

#endif
