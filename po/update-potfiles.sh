#!/bin/sh
# update-potfiles.sh - regenerate po/POTFILES.in: every source file that marks a string with
# _(), N_() or ngettext_() (tests/tui/test_i18n.sh checks exactly this list).
cd "$(dirname "$0")/.." && grep -rlE '(^|[^A-Za-z0-9_])(N|ngettext)?_\("' --include='*.c' src | sort > po/POTFILES.in
