# man: the manual pages, installed by `make install`, and a check that groff renders them
# without a single warning.
dist_man_MANS += man/boxtop.1 man/boxtopd.8
MAN_TESTS = man/test_man.sh
TESTS += $(MAN_TESTS)
EXTRA_DIST += $(MAN_TESTS)
