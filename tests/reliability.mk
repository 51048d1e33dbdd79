# Issue 15 (reliability): boxtop supervising its boxtopd, fault injection, soak, fuzz smoke.
RELIABILITY_TESTS = tests/tui/test_supervise.sh tests/fault/test_answers.sh
TESTS += $(RELIABILITY_TESTS)
EXTRA_DIST += $(RELIABILITY_TESTS)
