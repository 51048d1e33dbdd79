#!/bin/sh
# test_sort_arrow.sh - the sandboxes table's sort arrow says which way the rows go: ▼ when
# the biggest value is on top (CPU, memory and disk sort most first, as in top; age oldest
# first), ▲ when the smallest is (ids, templates, the time to live soonest first); I flips
# both. CPU sorted most first read "CPU▲". A replay of three.json (CPU 99 %, 1 %, 0.5 %).
. "$(dirname "$0")/lib.sh"
echo "1..6"
tui_start 160 30 --replay "$abs_top_srcdir/tests/tui/three.json"
tui_wait 'Sandboxes \(3 of 3\)' 8
tui_screen | grep -q ' ID▲ '; ok $? "ids ascending: ID▲"
tui_keys '>' '>' '>'
tui_wait 'sort: cpu' 3
tui_screen | grep -q ' CPU▼ ' && tui_screen | sed -n 5p | grep -q '^ *ibx1running'
ok $? "CPU most first: CPU▼ and the 99 % sandbox on top"
tui_keys I
tui_wait 'sort: cpu \(rev\)' 3
tui_screen | grep -q ' CPU▲ ' && tui_screen | sed -n 5p | grep -q '^ *ibx3idle'
ok $? "inverted: CPU▲ and the least busy on top"
tui_keys I '>' '>' '>'
tui_wait 'sort: age' 3
tui_screen | grep -q ' AGE▼ ' && tui_screen | sed -n 5p | grep -q '^ *ibx2paused'
ok $? "age oldest first: AGE▼"
tui_keys '>'
tui_wait 'sort: ttl' 3
tui_screen | grep -q ' TTL▲ '; ok $? "time to live soonest first: TTL▲"
tui_stop
TUI_LANG=C tui_start 160 30 --replay "$abs_top_srcdir/tests/tui/three.json"
tui_wait 'Sandboxes \(3 of 3\)' 8
tui_keys '>' '>' '>'
tui_wait 'sort: cpu' 3
tui_screen | grep -q ' CPUv '; ok $? "LANG=C: CPUv"
tui_done
