/* term_restore.h - leave the terminal as we found it even when boxtop crashes.
 *
 * Normal exits go through endwin(). For crashes (SIGSEGV, SIGABRT, ...) and every other signal
 * that would end the process unhandled (SIGUSR1, SIGPIPE, SIGALRM, ...) a handler writes a fixed
 * reset sequence (mouse off, alternate screen off, cursor on, attributes off) and puts the saved
 * termios back with tcsetattr (both async-signal-safe), then re-raises the signal. */
#ifndef BOXTOP_TUI_TERM_RESTORE_H
#define BOXTOP_TUI_TERM_RESTORE_H

/* Save the tty state of fd (before initscr) and install the crash handlers. */
int term_restore_install(int fd);
void term_restore_uninstall(void);

/* Raw keys for a terminal tab (on=1): no ISIG/IEXTEN (Ctrl-C, Ctrl-\, Ctrl-Z, Ctrl-V are
 * bytes for the shell) and no IXON (Ctrl-S/Ctrl-Q too), as tmux does; on=0 puts back the
 * user's own ISIG/IEXTEN/IXON as saved by term_restore_install. The caller tells curses
 * (def_prog_mode) so a later endwin()/refresh keeps it. */
int term_keys_raw(int fd, int on);

#endif
