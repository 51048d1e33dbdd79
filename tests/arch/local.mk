# tests/arch: the architecture rules (issue 13), checked from the built objects.
TESTS += tests/arch/test_arch.sh
EXTRA_DIST += tests/arch/test_arch.sh tests/arch/callgraph.sh tests/arch/known_loops.txt \
	tests/arch/known_view_includes.txt
