#!/bin/sh
# Runs network-isolation.mjs (node:test) and prints TAP; see lib/boxtopd.mjs for the harness.
exec "$(dirname "$0")/lib/tap-node.sh" network-isolation.mjs
