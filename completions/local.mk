# completions (issue 22): bash, zsh and fish completions and the systemd user unit for
# boxtopd, installed where those programs look. The directories are variables so packagers
# can point them elsewhere (debian/rules uses zsh's vendor-completions).
bashcompdir = $(datadir)/bash-completion/completions
zshcompdir = $(datadir)/zsh/site-functions
fishcompdir = $(datadir)/fish/vendor_completions.d
systemduserunitdir = $(prefix)/lib/systemd/user

dist_zshcomp_DATA = completions/_boxtop
dist_fishcomp_DATA = completions/boxtop.fish completions/boxtopd.fish
EXTRA_DIST += completions/boxtop.bash systemd/boxtopd.service.in

# bash finds a command's completion by the command's name, so one script under two names.
# The unit is written at install time so ExecStart names the bindir of `make install`
# (prefix=... given to make install alone must not leave a stale path).
install-data-local: install-completions-unit
uninstall-local: uninstall-completions-unit
install-completions-unit:
	$(MKDIR_P) '$(DESTDIR)$(bashcompdir)' '$(DESTDIR)$(systemduserunitdir)'
	$(INSTALL_DATA) $(srcdir)/completions/boxtop.bash '$(DESTDIR)$(bashcompdir)/boxtop'
	$(INSTALL_DATA) $(srcdir)/completions/boxtop.bash '$(DESTDIR)$(bashcompdir)/boxtopd'
	sed -e 's|@bindir[@]|$(bindir)|g' $(srcdir)/systemd/boxtopd.service.in >boxtopd.service.tmp
	$(INSTALL_DATA) boxtopd.service.tmp '$(DESTDIR)$(systemduserunitdir)/boxtopd.service'
	rm -f boxtopd.service.tmp
uninstall-completions-unit:
	rm -f '$(DESTDIR)$(bashcompdir)/boxtop' '$(DESTDIR)$(bashcompdir)/boxtopd' \
	  '$(DESTDIR)$(systemduserunitdir)/boxtopd.service'
.PHONY: install-completions-unit uninstall-completions-unit

# make check: bash completion against a test boxtopd; install/uninstall leave nothing behind.
PKG_TESTS = tests/pkg/test_completion.sh tests/pkg/test_install.sh
TESTS += $(PKG_TESTS)
EXTRA_DIST += $(PKG_TESTS) tests/pkg/test_debs.sh
