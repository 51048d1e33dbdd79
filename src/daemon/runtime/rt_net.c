/* rt_net.c - a sandbox without internet access: its own network namespace, empty but for
 * the loopback device, brought up so that programs inside can still talk to themselves.
 * Called in the setup child (rt_boot.c) and in the start-up probe (rt_core.c), by a process
 * that may administer the new namespace: root of the host (full mode) or root of the
 * sandbox's user namespace (rootless, which then owns the network namespace). */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rt_internal.h"

int rt_net_isolate(char *why, size_t n)
{
    if (unshare(CLONE_NEWNET) < 0) {
        snprintf(why, n, "unshare network ns: %s", strerror(errno));
        return -1;
    }
    /* lo exists in every new namespace, down: raise it (no routes or addresses to add,
     * the kernel gives 127.0.0.1/8 and ::1 to an up loopback) */
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ||
        (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)) {
        snprintf(why, n, "loopback up in the new network ns: %s", strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    close(fd);
    return 0;
}
