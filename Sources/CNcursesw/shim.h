#ifndef CLINTERVIEW_NCURSESW_SHIM_H
#define CLINTERVIEW_NCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
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

static inline int clinterview_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

#endif
