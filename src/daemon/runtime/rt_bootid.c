/* rt_bootid.c - a boot id of the sandbox's own.
 *
 * /proc/sys/kernel/random/boot_id is the host kernel's and never changes, but a sandbox that
 * was paused without its memory and resumed has booted again (init and the start command ran
 * afresh), and E2B clients check that by a new boot_id (upstream's filesystem-only pause
 * tests). Each boot of init therefore binds a fresh UUID, kept in the boot's own /dev tmpfs,
 * read-only over the proc file. A pause with memory (frozen) keeps init, so it keeps the id. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "rt_internal.h"

#define BOOT_ID_PROC "/proc/sys/kernel/random/boot_id"
#define BOOT_ID_FILE "/dev/.boot_id"

/* In init after the pivot (rt_init_enter: "/" is the sandbox's, /proc and /dev mounted, still
 * privileged over its mount ns). Best effort: a sandbox without it boots all the same. */
void rt_bootid_mount(void)
{
    char id[64];
    ssize_t n = rt_read_file("/proc/sys/kernel/random/uuid", id, sizeof id); /* new per read */
    if (n < 36) return;
    if (rt_write_file(BOOT_ID_FILE, id, (size_t)n, 0444) < 0) return;
    if (mount(BOOT_ID_FILE, BOOT_ID_PROC, "none", MS_BIND, NULL) < 0) return;
    mount("none", BOOT_ID_PROC, "none", MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
}
