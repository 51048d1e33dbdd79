/* app_base.c - what every part of the frame uses (app.c, app_status.c, app_clock.c and the
 * rest): the dirty bits and the top view. Its own file so those parts call down into it and
 * never back into each other (tests/arch: no two .c files call each other). */
#include "config.h"

#include "app.h"

void app_dirty(struct app *a, int what)
{
    a->dirty |= what;
}

struct view *app_top(struct app *a)
{
    return a->depth ? a->stack[a->depth - 1] : NULL;
}
