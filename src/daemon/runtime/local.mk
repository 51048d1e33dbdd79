# src/daemon/runtime: sandbox runtime (namespaces, rootfs, cgroups, init)
noinst_LIBRARIES += src/daemon/runtime/libboxtopd_runtime.a
src_daemon_runtime_libboxtopd_runtime_a_SOURCES = \
	src/daemon/runtime/runtime.h \
	src/daemon/runtime/rt_internal.h \
	src/daemon/runtime/rt_core.c \
	src/daemon/runtime/rt_boot.c \
	src/daemon/runtime/rt_init.c \
	src/daemon/runtime/rt_rootfs.c \
	src/daemon/runtime/rt_layer.c \
	src/daemon/runtime/rt_bootid.c \
	src/daemon/runtime/rt_binds.c \
	src/daemon/runtime/rt_cgroup.c \
	src/daemon/runtime/rt_metrics.c \
	src/daemon/runtime/rt_spawn.c \
	src/daemon/runtime/rt_proto.c \
	src/daemon/runtime/rt_util.c
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
