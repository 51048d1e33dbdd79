#!/bin/sh
# test_tui_replay.sh - the sandboxes view driven in tmux from a recorded model (--replay):
# rows, states and metadata, the filter, marks + K, n/p/r/t, help, the command line, resize,
# --readonly, and the terminal left as it was found (on q and on a crash).
. "$(dirname "$0")/lib.sh"
FIX="$abs_top_srcdir/tests/tui/three.json"
echo "1..31"

cp "$FIX" "$TMPD/in.json"
tui_start 160 40 --replay "$TMPD/in.json" --record "$TMPD/out.json"
tui_wait 'ibx3idle' ; ok $? "the table appears"
S=$(tui_screen)
echo "$S" | grep -Eq 'ibx1running0000000001 +base +running .*owner=alice purpose=ci'; ok $? "row 1: running, metadata owner=alice"
echo "$S" | grep -Eq 'ibx2paused00000000002 +base +paused .*owner=bob'; ok $? "row 2: paused, metadata owner=bob"
echo "$S" | grep -Eq 'ibx3idle0000000000003 +python +running'; ok $? "row 3: running, alias python"
echo "$S" | grep -q 'running 2 / limit 20  paused 1'; ok $? "header counts running/paused against the limit"

tui_keys /; tui_type 'meta:owner=alice'
tui_wait 'Sandboxes \(1 of 3\)'; r=$?
S=$(tui_screen)
[ $r -eq 0 ] && echo "$S" | grep -q ibx1running && ! echo "$S" | grep -q 'ibx2paused' && ! echo "$S" | grep -q 'ibx3idle'
ok $? "filter meta:owner=alice leaves exactly that row"
tui_keys Enter Escape
tui_wait 'Sandboxes \(3 of 3\)'; ok $? "Esc clears the filter"
tui_keys / ; tui_type '!state:paused'; tui_keys Enter
tui_wait 'Sandboxes \(2 of 3\)' && ! tui_screen | grep -q ibx2paused; ok $? "negated state filter"
tui_keys Escape

# sort by memory (header click on MEMORY: SGR mouse at the title row, row 4 of the pane)
x=$(tui_screen | sed -n 4p | awk '{print index($0, "MEMORY")}')
tui_type "$(printf '\033[<0;%d;4M' "$x")"; tui_type "$(printf '\033[<0;%d;4m' "$x")"
tui_wait 'sort: mem'; ok $? "a header click sorts by that column"
tui_screen | sed -n 5p | grep -q ibx1running; ok $? "memory sort puts the biggest user first"
tui_keys '<' '<' '<' '<'   # back to the ID column (mem → cpu → state → template → id)
tui_wait 'sort: id'

# mark two rows, K, confirm
tui_keys g Space Space K
tui_wait 'Kill 2 sandboxes\?'; ok $? "K asks, naming how many"
tui_keys y
# killed rows stay as ended rows (issue 17) below the live ones
tui_wait 'ibx2paused0+2 +base +ended' && tui_screen | grep -Eq 'ibx1running0+1 +base +ended' && tui_wait 'Sandboxes \(1 of 1\)  sort: id   ended: 2' && tui_screen | grep -q 'ibx3idle.*running'
ok $? "confirming kills exactly the two marked rows (kept as ended rows)"

# n: template, timeout, metadata
tui_keys n; tui_wait 'Template'; tui_keys Enter
tui_wait 'Timeout'; tui_keys Enter
tui_wait 'Metadata'; tui_type 'owner=carol'; tui_keys Enter
tui_wait 'replay0001 +base +running .*owner=carol'; ok $? "n creates a sandbox that appears in the table"

# p then r on the new one (selection: put it on the replay row)
tui_keys / ; tui_type 'carol'; tui_keys Enter
tui_wait 'Sandboxes \(1 of 2\)'
tui_keys p; tui_wait 'replay0001 +base +paused'; ok $? "p pauses"
tui_keys r; tui_wait 'replay0001 +base +running'; ok $? "r resumes"
tui_keys t; tui_wait 'time to live'; tui_type '2h'; tui_keys Enter
tui_wait 'replay0001 .* 1h59m'; ok $? "t sets the time to live"
tui_keys e; tui_wait 'replay0001 .* 2h04m'; ok $? "e extends the time to live by 5 minutes"
tui_keys s; tui_wait 'terminals need a live backend'; ok $? "s in a replay says terminals need a live backend"
tui_keys Escape

tui_keys '?'
tui_wait 'Keys: sandboxes' && tui_screen | grep -q 'kill marked or selected' && tui_screen | grep -q 'Everywhere'
ok $? "? lists the keys of the view and the global ones"
tui_keys x; tui_wait_gone 'Keys: sandboxes'

tui_keys :; tui_type 'temp'; tui_keys Tab
tui_wait ':templates'; ok $? ":  completes command names"
tui_keys Enter; tui_wait 'Templates \(0\) +not available in a replay'; ok $? ":templates opens the view (a replay has no server to ask)"
tui_keys Escape; tui_wait 'Sandboxes \('

tui_keys Enter
tui_wait '^ Sandbox replay0001'; ok $? "Enter opens the detail view"
tui_screen | grep -q 'CPU  now' && tui_screen | grep -Eq 'owner +carol'; ok $? "detail shows graphs and metadata"
tui_keys Escape; tui_wait 'Sandboxes \('

# detail of ibx3 (recorded processes and logs)
tui_keys / ; tui_type 'ibx3'; tui_keys Enter Enter
tui_wait 'Processes \(3\)' && tui_screen | grep -Eq '42 yes +hog' && tui_screen | grep -q 'memory above 40 %'
ok $? "detail lists the processes (pid, command, tag) and the latest log lines"
tui_keys j K; tui_wait 'Kill process 42 \(yes\)\?'; tui_keys y
tui_wait 'Processes \(2\)' && ! tui_screen | grep -Eq '42 yes'; ok $? "K in the detail kills the selected process"
tui_keys Escape; tui_keys Escape; tui_wait 'Sandboxes \(2 of 2\)'

tm resize-window -t t -x 70 -y 20
tui_wait 'needs at least 80x24'; ok $? "below 80x24 a readable message"
tm resize-window -t t -x 80 -y 24
tui_wait 'ibx3idle'; ok $? "at 80x24 the table is back"

tui_keys q
tui_wait EXITED
[ "$(cat "$TMPD/exit")" = 0 ] && [ "$(tui_fmt '#{alternate_on}#{cursor_flag}#{mouse_any_flag}#{mouse_sgr_flag}')" = 0100 ]
ok $? "q exits 0 and leaves the terminal as found (no alt screen, cursor on, mouse off)"
tui_stop

# --record wrote the model after the session: the two killed ones are gone
grep -q '"ibx3idle0000000000003"' "$TMPD/out.json" && grep -q '"replay0001"' "$TMPD/out.json" &&
    ! grep -q 'ibx1running' "$TMPD/out.json" && ! grep -q 'ibx2paused' "$TMPD/out.json"
ok $? "the recorded model has exactly the two killed sandboxes removed"

# --readonly refuses changes
tui_start 100 30 --replay "$TMPD/in.json" --readonly
tui_wait 'ibx3idle'
tui_keys K; tui_wait 'read-only mode \(--readonly\): kill is not allowed' && ! tui_screen | grep -q 'Kill '
ok $? "--readonly refuses K with a clear message"
tui_stop

# a crash (SIGSEGV) still restores the terminal
tui_start 100 30 --replay "$TMPD/in.json"
tui_wait 'ibx3idle'
kill -SEGV "$(cat "$TMPD/pid")"
tui_wait EXITED
[ "$(tui_fmt '#{alternate_on}#{cursor_flag}#{mouse_any_flag}')" = 010 ]
ok $? "after SIGSEGV the crash handler restored the terminal"
tui_done
