/* term_colour.c - xterm's 256-colour palette and the reductions truecolour -> 256 -> 16 -> 8
 * that let a terminal drawn inside boxtop look right on a poorer outer terminal. */
#include "config.h"

#include "term_render.h"

static const uint32_t ansi16[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};
static const int cube[6] = {0, 95, 135, 175, 215, 255};

uint32_t term_colour_palette(int idx)
{
    if (idx < 0 || idx > 255) return 0;
    if (idx < 16) return ansi16[idx];
    if (idx < 232) {
        int i = idx - 16;
        return (uint32_t)(cube[i / 36] << 16 | cube[i / 6 % 6] << 8 | cube[i % 6]);
    }
    int g = 8 + 10 * (idx - 232);
    return (uint32_t)(g << 16 | g << 8 | g);
}

static int dist(uint32_t a, uint32_t b)
{
    int dr = (int)(a >> 16 & 0xff) - (int)(b >> 16 & 0xff);
    int dg = (int)(a >> 8 & 0xff) - (int)(b >> 8 & 0xff);
    int db = (int)(a & 0xff) - (int)(b & 0xff);
    return dr * dr + dg * dg + db * db;
}

static int cube_level(int v)
{
    int best = 0;
    for (int i = 1; i < 6; i++)
        if ((v - cube[i]) * (v - cube[i]) < (v - cube[best]) * (v - cube[best])) best = i;
    return best;
}

int term_colour_rgb_to_256(uint32_t rgb)
{
    int r = (int)(rgb >> 16 & 0xff), g = (int)(rgb >> 8 & 0xff), b = (int)(rgb & 0xff);
    int ci = 16 + 36 * cube_level(r) + 6 * cube_level(g) + cube_level(b);
    int grey = (r + g + b) / 3;
    int gi = grey < 8 ? 0 : (grey - 8 + 5) / 10;
    if (gi > 23) gi = 23;
    gi += 232;
    return dist(term_colour_palette(gi), rgb) < dist(term_colour_palette(ci), rgb) ? gi : ci;
}

int term_colour_256_to_16(int idx)
{
    if (idx >= 0 && idx < 16) return idx;
    uint32_t rgb = term_colour_palette(idx);
    int best = 0;
    for (int i = 1; i < 16; i++)
        if (dist(ansi16[i], rgb) < dist(ansi16[best], rgb)) best = i;
    return best;
}

int term_colour_map_down(uint32_t colour, enum term_depth depth, int *bold)
{
    if (depth == TERM_DEPTH_NONE || TERM_COLOUR_TAG(colour) == TERM_COLOUR_DEFAULT) return -1;
    uint32_t v = TERM_COLOUR_VALUE(colour);
    int rgb = TERM_COLOUR_TAG(colour) == TERM_COLOUR_RGB;
    if (depth == TERM_DEPTH_TRUE) {
        /* direct colour: the 8 ANSI colours stay indices (terminfo sends SGR 30-37 for
         * them), everything else is 0xRRGGBB */
        if (!rgb && v < 8) return (int)v;
        return (int)(rgb ? v : term_colour_palette((int)v));
    }
    int idx = rgb ? term_colour_rgb_to_256(v) : (int)(v & 0xff);
    if (depth == TERM_DEPTH_256) return idx;
    idx = term_colour_256_to_16(idx);
    if (depth == TERM_DEPTH_16) return idx;
    if (idx >= 8 && bold) *bold = 1;
    return idx & 7;
}
