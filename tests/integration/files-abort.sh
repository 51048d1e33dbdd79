#!/bin/sh
# Runs files-abort.mjs (node:test) and prints TAP; see lib/boxtopd.mjs for the harness.
exec "$(dirname "$0")/lib/tap-node.sh" files-abort.mjs
