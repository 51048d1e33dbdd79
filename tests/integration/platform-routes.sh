#!/bin/sh
# Runs platform-routes.mjs (node:test) and prints TAP; see lib/boxtopd.mjs for the harness.
exec "$(dirname "$0")/lib/tap-node.sh" platform-routes.mjs
