#ifndef CLINTERVIEW_NCURSESW_SHIM_H
#define CLINTERVIEW_NCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

/* C globals and macros that Swift 6 cannot use directly. */
static inline WINDOW *clinterview_stdscr(void) { return stdscr; }
static inline attr_t clinterview_a_bold(void) { return A_BOLD; }
static inline attr_t clinterview_a_reverse(void) { return A_REVERSE; }
static inline attr_t clinterview_a_underline(void) { return A_UNDERLINE; }
static inline attr_t clinterview_a_dim(void) { return A_DIM; }
static inline attr_t clinterview_a_normal(void) { return A_NORMAL; }
static inline FILE *clinterview_stdin(void) { return stdin; }
static inline FILE *clinterview_stdout(void) { return stdout; }

/* Signals: the handler only records which signal came; the main loop acts on it.
   No SA_RESTART, so a blocked read returns and the loop sees the flag at once. */
static volatile sig_atomic_t clinterview_pending_signal = 0;

static inline void clinterview_on_signal(int signal_number) { clinterview_pending_signal = signal_number; }

static inline void clinterview_install_signal_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = clinterview_on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

static inline int clinterview_take_signal(void) {
    int value = clinterview_pending_signal;
    clinterview_pending_signal = 0;
    return value;
}

static inline int clinterview_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

#endif
