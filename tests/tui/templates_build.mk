# tests/tui/templates_build.mk: tmux test of issue 19's template builds in the templates view.
TEMPLATES_BUILD_TESTS = tests/tui/test_template_build.sh
TESTS += $(TEMPLATES_BUILD_TESTS)
EXTRA_DIST += $(TEMPLATES_BUILD_TESTS) tests/tui/templates_build.mk
