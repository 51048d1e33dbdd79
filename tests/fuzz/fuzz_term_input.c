/* fuzz_term_input.c - arbitrary pty output into the terminal engine in slices of
 * input-chosen sizes, with resizes, keys, copy-mode text and search in between. The grid must
 * stay consistent (term_engine_check) after every step; a broken promise aborts.
 *
 * Input layout: byte 0 and 1 pick the initial size; then records of
 * [op byte][len byte][len bytes of data]: op % 8 == 7 resizes (rows, cols from the data),
 * op % 8 == 6 sends a key, otherwise the data is fed with a byte cap of op + 1. */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setlocale(LC_ALL, "C.UTF-8");
    return 0;
}

static void sink(const char *bytes, size_t len, void *user)
{
    size_t *total = user;
    (void)bytes;
    *total += len;
}

static void check(const struct term_engine *e)
{
    if (term_engine_check(e) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    size_t replies = 0;
    struct term_engine_opts o = {1 + data[0] % 60, 1 + data[1] % 200, 200, sink, &replies};
    struct term_engine *e = term_engine_new(&o, NULL);
    if (!e) return 0;
    size_t i = 2;
    while (i + 2 <= size) {
        unsigned op = data[i], len = data[i + 1];
        i += 2;
        if (len > size - i) len = (unsigned)(size - i);
        const char *p = (const char *)data + i;
        i += len;
        if (op % 8 == 7 && len >= 2) {
            term_engine_resize(e, 1 + (unsigned char)p[0] % 70, 1 + (unsigned char)p[1] % 220);
        } else if (op % 8 == 6 && len >= 1) {
            term_engine_send_key(e, (enum term_key)(1 + (unsigned char)p[0] % 14), op >> 5);
            term_engine_send_char(e, (unsigned char)p[0], op >> 5);
            term_engine_send_paste(e, p, len);
            term_engine_send_mouse(e, 0, 0, (unsigned char)p[0] % 6, 1, 0);
        } else {
            size_t off = 0, used;
            while (off < len) {
                term_engine_write(e, p + off, len - off, op + 1, &used);
                if (used == 0) abort(); /* no progress */
                off += used;
                check(e);
            }
        }
        check(e);
    }
    /* copy mode over everything that is left */
    int rows, cols;
    term_engine_size(e, &rows, &cols);
    struct buf b = BUF_INIT;
    for (int line = -term_engine_history(e); line < rows; line++)
        if (term_engine_line_text(e, line, &b) < 0) abort();
    struct term_pos f;
    term_engine_search(e, "a", (struct term_pos){rows - 1, cols}, 1, &f);
    term_engine_selection_text(e, (struct term_pos){-5, 3}, (struct term_pos){rows, 0}, &b);
    buf_free(&b);
    int changed;
    term_engine_title(e, &changed);
    term_engine_free(e);
    return 0;
}
