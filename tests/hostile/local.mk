# tests/hostile: boxtop against a fake E2B that lies in every way of issue 25
# (fake_hostile.js: raw HTTP on loopback, one mode per misbehaviour). The CLI and the TUI
# (in tmux) run against each mode: bounded time, peak RSS under 256 MiB, keys answered,
# no temporary file left. `node tests/hostile/fake_hostile.js --seeds tests/fuzz/corpus`
# writes the fake's answers as fuzz seeds (test_hostile_cli.sh checks they are current).
HOSTILE_TESTS = tests/hostile/test_hostile_cli.sh tests/hostile/test_hostile_tui.sh
TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += $(HOSTILE_TESTS) tests/hostile/lib.sh tests/hostile/fake_hostile.js
