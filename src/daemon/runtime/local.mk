# src/daemon/runtime: sandbox runtime (namespaces, rootfs, cgroups, init)
noinst_LIBRARIES += src/daemon/runtime/libboxtopd_runtime.a
src_daemon_runtime_libboxtopd_runtime_a_SOURCES = \
	src/daemon/runtime/runtime.h \
	src/daemon/runtime/rt_internal.h \
	src/daemon/runtime/rt_core.c \
	src/daemon/runtime/rt_boot.c \
	src/daemon/runtime/rt_spare.c \
	src/daemon/runtime/rt_sb.c \
	src/daemon/runtime/rt_grave.c \
	src/daemon/runtime/rt_child.c \
	src/daemon/runtime/rt_etc.c \
	src/daemon/runtime/rt_init.c \
	src/daemon/runtime/rt_rootfs.c \
	src/daemon/runtime/rt_layer.c \
	src/daemon/runtime/rt_stack.c \
	src/daemon/runtime/rt_idmap.c \
	src/daemon/runtime/rt_bootid.c \
	src/daemon/runtime/rt_binds.c \
	src/daemon/runtime/rt_imagefs.c \
	src/daemon/runtime/rt_image.h \
	src/daemon/runtime/rt_image.c \
	src/daemon/runtime/rt_image_build.c \
	src/daemon/runtime/rt_cgroup.c \
	src/daemon/runtime/rt_metrics.c \
	src/daemon/runtime/rt_spawn.c \
	src/daemon/runtime/rt_envd_wrap.c \
	src/daemon/runtime/rt_proto.c \
	src/daemon/runtime/rt_util.c \
	src/daemon/runtime/rt_freeze.c \
	src/daemon/runtime/rt_dev.c \
	src/daemon/runtime/rt_net.c \
	src/daemon/runtime/rt_subid.c
src_daemon_runtime_libboxtopd_runtime_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/daemon/runtime
# What boxtopd links (the runtime uses only libc and struct error from core).
DAEMON_RUNTIME_LIBS = src/daemon/runtime/libboxtopd_runtime.a

# Tests that create real sandboxes: they need root (or fall back to plain mode) and touch
# cgroups, so they are in TESTS but not in UNIT_TESTS.
check_PROGRAMS += tests/runtime/test_runtime
TESTS += tests/runtime/test_runtime
tests_runtime_test_runtime_SOURCES = tests/runtime/test_runtime.c
tests_runtime_test_runtime_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/daemon/runtime
tests_runtime_test_runtime_LDADD = $(DAEMON_RUNTIME_LIBS) $(CORE_LIBS)
# The same test with BOXTOPD_ISOLATION=plain (the fallback without namespaces).
dist_check_SCRIPTS += tests/runtime/test_runtime_plain.sh
TESTS += tests/runtime/test_runtime_plain.sh

# The base image sandboxes stack on, made (or found in the user's cache, so at most once per
# machine) before the tests run: every test's boxtopd then finds it ready. Not fatal here:
# without it the sandbox tests fail and say why.
check_SCRIPTS += base-image
base-image: src/boxtopd$(EXEEXT)
	@src/boxtopd --build-base || echo "warning: no base image (see above): sandbox tests will fail" >&2
.PHONY: base-image

# The runtime test once more on the host's root (boxtopd --base host).
dist_check_SCRIPTS += tests/runtime/test_runtime_host.sh
TESTS += tests/runtime/test_runtime_host.sh
# And as an unprivileged user (rootless namespaces) on the same image.
dist_check_SCRIPTS += tests/runtime/test_runtime_rootless.sh
TESTS += tests/runtime/test_runtime_rootless.sh
# The base image built by a user who is not root (mmdebstrap's unshare mode, faked offline).
dist_check_SCRIPTS += tests/runtime/test_base_build_rootless.sh
TESTS += tests/runtime/test_base_build_rootless.sh
EXTRA_DIST += tests/runtime/fake-mmdebstrap
# boxtopd while its base image is being built, or cannot be (the SDK against it).
TESTS += tests/integration/base-image.sh
EXTRA_DIST += tests/integration/base-image.sh tests/integration/base-image.mjs
# boxtop's header with the image being built, and with --base host.
TESTS += tests/tui/test_tui_base.sh
EXTRA_DIST += tests/tui/test_tui_base.sh
# Tests that give boxtop or boxtopd a temporary HOME keep the user's cache, so that the base
# image is built at most once per machine (tests wanting an empty cache set their own).
AM_TESTS_ENVIRONMENT += XDG_CACHE_HOME="$${XDG_CACHE_HOME:-$$HOME/.cache}"; export XDG_CACHE_HOME;

# boxtopd-init: the small program a sandbox's init re-executes into (see init_main.c). Only
# the runtime and libboxtopcore (no cJSON, curl, lws, ssl): a fast exec.
pkglibexec_PROGRAMS = src/boxtopd-init
src_boxtopd_init_SOURCES = src/daemon/runtime/init_main.c
src_boxtopd_init_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/daemon/runtime
src_boxtopd_init_LDADD = $(DAEMON_RUNTIME_LIBS) src/core/libboxtopcore.a

# make check as a user who is not root says first, in one line, what differs (CI is root).
EXTRA_DIST += tests/check-user-note.sh
check-user-note:
	@$(SHELL) $(top_srcdir)/tests/check-user-note.sh
check-am: check-user-note
.PHONY: check-user-note
