# src/cli: boxtop's entry point and command-line mode (ls, info, create, kill, ...).
bin_PROGRAMS += src/boxtop
src_boxtop_SOURCES = src/cli/main.c
src_boxtop_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS) $(NCURSES_CFLAGS) $(VTERM_CFLAGS)
src_boxtop_LDADD = $(CORE_LIBS) $(CURL_LIBS) $(NCURSES_LIBS) $(VTERM_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS)
