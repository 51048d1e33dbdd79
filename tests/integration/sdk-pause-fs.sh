#!/bin/sh
# Runs sdk-pause-fs.mjs (node:test) and prints TAP; see lib/boxtopd.mjs for the harness.
exec "$(dirname "$0")/lib/tap-node.sh" sdk-pause-fs.mjs
