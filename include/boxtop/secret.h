/* secret.h - freeing strings that hold secrets (API keys, access tokens, webhook secrets):
 * the bytes are wiped first so they do not linger in freed memory (explicit_bzero: the wipe
 * is not optimised away). */
#ifndef BOXTOP_SECRET_H
#define BOXTOP_SECRET_H

/* Wipe and free s; NULL is fine. */
void secret_free(char *s);

#endif
