#!/bin/sh
# Runs remove-hidden.mjs (node:test) and prints TAP; see lib/boxtopd.mjs for the harness.
exec "$(dirname "$0")/lib/tap-node.sh" remove-hidden.mjs
