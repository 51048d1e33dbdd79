/* spark.c - sparkline and graph glyphs (see spark.h). Braille cells are 2x4 dots; the dot bits
 * bottom-up are 6,2,1,0 for the left column and 7,5,4,3 for the right (U+2800 + bits). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "spark.h"

static const int braille_left[4] = {0x40, 0x04, 0x02, 0x01};  /* bottom → top */
static const int braille_right[4] = {0x80, 0x20, 0x10, 0x08}; /* bottom → top */
static const char ascii_levels[] = " .:-=+*#";                /* 0..7 */

int spark_level(double v, double max, int levels)
{
    if (!(v > 0) || !(max > 0)) return 0;
    if (v >= max) return levels;
    int l = (int)ceil(v / max * levels);
    return l < 1 ? 1 : (l > levels ? levels : l);
}

static size_t put_utf8(char *out, size_t pos, size_t outsz, unsigned cp)
{
    char tmp[4];
    size_t n;
    if (cp < 0x80) {
        tmp[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        tmp[0] = (char)(0xC0 | (cp >> 6));
        tmp[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else {
        tmp[0] = (char)(0xE0 | (cp >> 12));
        tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    if (pos + n + 1 > outsz) return pos;
    memcpy(out + pos, tmp, n);
    return pos + n;
}

/* Dots of one braille column for a sample whose level (0..4*height) lands on this row. */
static int braille_col(int level, int height, int row, const int *bits)
{
    int base = (height - 1 - row) * 4; /* dots below this row */
    int here = level - base;
    int m = 0;
    for (int i = 0; i < 4 && i < here; i++)
        m |= bits[i];
    return m;
}

size_t graph_render_row(const double *vals, int n, double max, int width, int height, int row,
                        enum glyphs g, char *out, size_t outsz)
{
    size_t pos = 0;
    if (outsz == 0) return 0;
    if (height < 1) height = 1;
    int per_cell = g == GLYPHS_BRAILLE ? 2 : 1;
    int first = n - width * per_cell; /* index of the sample in the leftmost slot */
    for (int c = 0; c < width; c++) {
        int i0 = first + c * per_cell;
        if (g == GLYPHS_BRAILLE) {
            int m = 0;
            for (int k = 0; k < 2; k++) {
                int i = i0 + k;
                if (i < 0 || i >= n) continue;
                int lv = spark_level(vals[i], max, 4 * height);
                m |= braille_col(lv, height, row, k ? braille_right : braille_left);
            }
            /* an empty braille cell is U+2800, which some fonts draw oddly: use a blank */
            pos = put_utf8(out, pos, outsz, m ? 0x2800u + (unsigned)m : ' ');
        } else {
            int i = i0;
            int lv = (i < 0 || i >= n) ? 0 : spark_level(vals[i], max, 8 * height);
            int here = lv - (height - 1 - row) * 8; /* eighths of this row that are filled */
            if (here <= 0)
                pos = put_utf8(out, pos, outsz, ' ');
            else if (g == GLYPHS_BLOCKS)
                pos = put_utf8(out, pos, outsz, 0x2580u + (unsigned)(here >= 8 ? 8 : here));
            else
                pos = put_utf8(out, pos, outsz,
                               (unsigned char)(here >= 8 ? '#' : ascii_levels[here]));
        }
    }
    out[pos] = '\0';
    return pos;
}

size_t spark_render(const double *vals, int n, double max, int width, enum glyphs g, char *out,
                    size_t outsz)
{
    return graph_render_row(vals, n, max, width, 1, 0, g, out, outsz);
}
