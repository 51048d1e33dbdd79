#!/bin/sh
# Runs sdk-files-today.mjs (node:test) and prints TAP; see lib/boxtopd.mjs for the harness.
exec "$(dirname "$0")/lib/tap-node.sh" sdk-files-today.mjs
