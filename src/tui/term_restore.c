/* term_restore.c - crash-time terminal restore (see term_restore.h). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "term_restore.h"

/* The one piece of static state in the TUI: a signal handler gets no user pointer, so the
 * saved termios has to live where the handler can reach it. Written once before the handlers
 * are installed, read only by them. */
static struct {
    int fd;
    int saved;
    struct termios tio;
} crash_state = {-1, 0, {0}};

/* Crashes, and every other signal whose default action ends the process: none may leave the
 * terminal raw. (INT, QUIT, TERM and HUP are a clean quit through the loop's signalfd while it
 * runs; they land here only before and after.) */
static const int crash_signals[] = {SIGSEGV, SIGABRT, SIGBUS,    SIGFPE,  SIGILL,  SIGSYS,
                                    SIGTRAP, SIGINT,  SIGQUIT,   SIGTERM, SIGHUP,  SIGPIPE,
                                    SIGUSR1, SIGUSR2, SIGALRM,   SIGXCPU, SIGXFSZ, SIGVTALRM,
                                    SIGPROF, SIGPWR,  SIGSTKFLT, SIGIO};

/* mouse reporting off (1000/1002/1006), bracketed paste off, keypad off, leave the alternate
 * screen, cursor on, attributes off */
static const char reset_seq[] =
    "\033[?2004l\033[?1006l\033[?1002l\033[?1000l\033[?1l\033>\033[?1049l\033[?25h\033[0m\r\n";

static void crash_handler(int sig)
{
    if (crash_state.fd >= 0) {
        ssize_t w = write(crash_state.fd, reset_seq, sizeof(reset_seq) - 1);
        (void)w;
        if (crash_state.saved) tcsetattr(crash_state.fd, TCSANOW, &crash_state.tio);
    }
    /* SA_RESETHAND put the default action back: die the way we were going to */
    raise(sig);
}

int term_restore_install(int fd)
{
    crash_state.fd = fd;
    crash_state.saved = tcgetattr(fd, &crash_state.tio) == 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = crash_handler;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
        if (sigaction(crash_signals[i], &sa, NULL) < 0) return -1;
    return 0;
}

void term_restore_uninstall(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
        sigaction(crash_signals[i], &sa, NULL);
    crash_state.fd = -1;
}

int term_keys_raw(int fd, int on)
{
    struct termios t;
    if (tcgetattr(fd, &t) < 0) return -1;
    if (on) {
        t.c_lflag &= ~(tcflag_t)(ISIG | IEXTEN);
        t.c_iflag &= ~(tcflag_t)IXON;
    } else {
        /* back to what the user had (a terminal without ixon keeps it off) */
        tcflag_t lf = ISIG | IEXTEN, xon = IXON; /* unknown: the usual cooked defaults */
        if (crash_state.saved) {
            lf = crash_state.tio.c_lflag & (ISIG | IEXTEN);
            xon = crash_state.tio.c_iflag & IXON;
        }
        t.c_lflag = (t.c_lflag & ~(tcflag_t)(ISIG | IEXTEN)) | lf;
        t.c_iflag = (t.c_iflag & ~(tcflag_t)IXON) | xon;
    }
    return tcsetattr(fd, TCSADRAIN, &t);
}
