#ifndef CLINTERVIEW_TERMINAL_SIGNALS_H
#define CLINTERVIEW_TERMINAL_SIGNALS_H

/* Which signal (SIGINT, SIGTERM, SIGHUP) ended the session: the handler only
   records it, the terminal loop acts on it. Defined in a C file, not in a
   header, so that the handler and the loop share one flag: a `static`
   variable in a header gets a copy in every object that uses it, and in the
   optimised build the handler set one copy while the loop read another
   (Ctrl-C did nothing). */

/* Installs the handlers, without SA_RESTART, so that a blocked read returns
   and the loop sees the flag at once. */
void clinterview_install_signal_handlers(void);

/* The signal received since the last call, or 0. */
int clinterview_take_signal(void);

#endif
