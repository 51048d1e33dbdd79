/* init_main.c - boxtopd-init: what a sandbox's init re-executes into (rt_boot.c). A small
 * program linked against libc only, so that the exec costs a fraction of re-executing boxtopd
 * itself with its ~40 shared libraries (issue 22: ~5 ms of CPU per create). rt_init.c's
 * constructor takes over before main() when boxtopd started it; run by hand, it only says
 * what it is. */
#include "config.h"

#include <stdio.h>

#include "rt_internal.h"

/* A reference the compiler cannot drop: it links rt_init.c, whose constructor is the program. */
void (*volatile boxtopd_init_entry)(struct rt_init_args *) = rt_init_enter;

int main(void)
{
    fputs("boxtopd-init: started by boxtopd as a sandbox's init; not meant to be run by hand\n",
          stderr);
    return 2;
}
