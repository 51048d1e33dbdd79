/* test_envd_fake.h - a fake E2B backend for the envd client tests: platform API connect and
 * an envd (streams, unary RPCs, /files) on one loopback port, forked into its own process
 * group. What it received is recorded in memory shared with the test. */
#ifndef TEST_ENVD_FAKE_H
#define TEST_ENVD_FAKE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fake_server.h"

#define TOKEN            "envd-token-0123456789"
#define API_KEY          "e2b_0123456789abcdef0123456789abcdef01234567"
#define SBX              "sbx1"
#define BIG              (3u * 1024u * 1024u + 123u)
#define FAKE_MAX_RECORDS 32

struct fake_record {
    char what[256]; /* "upload /path", "mkdir /path", "start <json>" */
    uint64_t bytes;
    uint64_t hash;
};

struct shared {
    uint64_t up_bytes; /* last POST /files */
    uint64_t up_hash;
    char last_input[256];
    int nrec;
    struct fake_record rec[FAKE_MAX_RECORDS];
};

struct server {
    struct fake_server fs;
    int port;
    struct shared *sh;
};

/* cmocka group setup/teardown: *state becomes a struct server *. */
int server_start(void **state);
int server_stop(void **state);

uint64_t fnv(uint64_t h, const unsigned char *p, size_t n);
#define FNV_INIT 1469598103934665603ULL
unsigned char big_byte(size_t i);

#endif
