/* ids.h - sandbox ids, tokens and uuids: validation of hostile input and random minting.
 *
 * A sandbox id reaches file names (records, runtime directories, cgroups), so anything that
 * is not `^[a-z0-9]+$` (at most IDS_SANDBOX_MAX chars) is refused before it goes anywhere.
 * The legacy composite form "<sandboxID>-<clientID>" is accepted and reduced to the sandbox
 * id, as the E2B API does; more than one '-' is invalid. */
#ifndef BOXTOPD_IDS_H
#define BOXTOPD_IDS_H

#include <stdbool.h>
#include <stddef.h>

#define IDS_SANDBOX_MAX 64
#define IDS_SANDBOX_LEN 21 /* "i" + 20 chars, like E2B */

/* Validate and normalise in into out (size >= IDS_SANDBOX_MAX + 1). 0 or -1. */
int ids_sandbox_parse(const char *in, char *out, size_t n);
bool ids_sandbox_valid(const char *id);

/* Random bytes from OpenSSL; 0 or -1. */
int ids_random(void *out, size_t n);
/* "i" + 20 random [a-z0-9]; out needs IDS_SANDBOX_LEN + 1. */
int ids_new_sandbox_id(char *out, size_t n);
/* 2*nbytes lowercase hex digits; out needs 2*nbytes + 1. */
int ids_random_hex(char *out, size_t nbytes);
/* RFC 4122 version 4 uuid; out needs 37. */
int ids_uuid4(char *out, size_t n);

#endif
