# tests/tui/templates_build.mk: tmux test of issue 19's template builds in the templates view.
TEMPLATES_BUILD_TESTS = tests/tui/test_template_build.sh
TESTS += $(TEMPLATES_BUILD_TESTS)
EXTRA_DIST += $(TEMPLATES_BUILD_TESTS) tests/tui/templates_build.mk
# The templates view and `boxtop template` against E2B cloud's shapes (a fake cloud).
TEMPLATES_CLOUD_TESTS = tests/tui/test_templates_cloud.sh tests/tui/test_templates_paging.sh \
	tests/tui/test_template_builds_follow.sh
TESTS += $(TEMPLATES_CLOUD_TESTS)
EXTRA_DIST += $(TEMPLATES_CLOUD_TESTS) tests/tui/fake_cloud_templates.js tests/tui/template_probe.mjs
