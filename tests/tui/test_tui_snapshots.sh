#!/bin/sh
# test_tui_snapshots.sh - issue 21's acceptance in tmux against a real boxtopd: S snapshots a
# sandbox with a file in it, :snapshots lists it, n creates a sandbox from it and the file is
# there; F forks x3 and three new rows appear whose files match the source; p asks "with
# memory / filesystem only" and f cold-boots on resume (a new boot id); D deletes the
# snapshot (refused while a sandbox made from it lives), it leaves :snapshots and its disk is
# freed; :volumes shows a volume, who mounts it, and Enter browses its files.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
STATE=$TMPD/bxd
echo "1..18"

trap bxd_cleanup_all EXIT
js() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);console.log($1)})"; }
bx() { timeout 20 "$BOXTOP" "$@"; }
snapdirs() { find "$STATE/snapshots" -mindepth 1 -maxdepth 1 ! -name '.*' 2>/dev/null | wc -l; }

bxd_start # in $STATE
A=$(bx create --timeout 900 --meta role=src)
bx exec "$A" -- 'mkdir -p /home/user/proj && echo "made before the snapshot" > /home/user/proj/note.txt' >/dev/null
[ -n "$A" ] && [ "$(bx exec "$A" -- cat /home/user/proj/note.txt)" = "made before the snapshot" ]
ok $? "boxtopd up, a sandbox with a file in it"

(unset E2B_API_KEY E2B_API_URL E2B_SANDBOX_URL E2B_DOMAIN
 BOXTOP_STATE_DIR="$STATE" HOME="$TMPD" tui_start 200 40)
tui_wait "$A" 10; ok $? "the table shows it"

tui_keys S; tui_wait 'Snapshot .*name' 3 && tui_type 'first'; tui_keys Enter
tui_wait 'snapshot local/first:default taken' 10; ok $? "S asks a name and takes the snapshot"
[ "$(snapdirs)" = 1 ]; ok $? "one snapshot on disk"

tui_keys :; tui_type snapshots; tui_keys Enter
tui_wait 'Snapshots \(1\)' 5 && tui_screen | grep -Eq "local/first:default +$A"
ok $? ":snapshots lists it with its source sandbox"
tui_keys n; tui_wait 'Time to live' 3 && tui_keys Enter
tui_wait 'Sandboxes \(2 of 2\)' 10; ok $? "n creates a sandbox from it and goes back to the table"
N=$(bx ls --json | js 'j.filter(x=>x.sandboxID!=="'"$A"'").map(x=>x.sandboxID).join(" ")')
[ -n "$N" ] && [ "$(bx exec "$N" -- cat /home/user/proj/note.txt)" = "made before the snapshot" ]
ok $? "the file is in the sandbox made from the snapshot"

# fork x3 from the filtered source: three new rows (forks keep the metadata)
bx exec "$A" -- 'echo "state at fork" > /home/user/proj/fork.txt' >/dev/null
tui_keys /; tui_type 'meta:role=src'; tui_keys Enter; tui_wait 'Sandboxes \(1 of 2\)' 5
tui_keys F; tui_wait 'how many' 3 && tui_type 3; tui_keys Enter
tui_wait 'forked: 3 new sandboxes' 15 && tui_wait 'Sandboxes \(4 of 5\)' 10
ok $? "F x3: three new rows appear"
FORKS=$(bx ls --json | js 'j.filter(x=>x.metadata&&x.metadata.role==="src"&&x.sandboxID!=="'"$A"'").map(x=>x.sandboxID).join(" ")')
good=0
for f in $FORKS; do
    tui_screen | grep -q "$f" || continue
    [ "$(bx exec "$f" -- cat /home/user/proj/note.txt /home/user/proj/fork.txt)" = "$(printf 'made before the snapshot\nstate at fork')" ] && good=$((good+1))
done
[ "$good" = 3 ]; ok $? "the three forks are on screen and their files match the source"

# p: the choice; f = filesystem only, r cold-boots (a new boot id)
tui_keys /; tui_keys C-u; tui_type "$A"; tui_keys Enter; tui_wait 'Sandboxes \(1 of 5\)' 5
b1=$(bx exec "$A" -- cat /proc/sys/kernel/random/boot_id)
tui_keys p; tui_wait 'Pause: m with memory, f filesystem only' 3; ok $? "p asks with memory or filesystem only"
tui_keys f; tui_wait "$A +base +paused" 10; ok $? "f pauses (filesystem only)"
tui_keys r; tui_wait "$A +base +running" 10
b2=$(bx exec "$A" -- cat /proc/sys/kernel/random/boot_id)
[ -n "$b1" ] && [ -n "$b2" ] && [ "$b1" != "$b2" ] && [ "$(bx exec "$A" -- cat /home/user/proj/fork.txt)" = "state at fork" ]
ok $? "r cold-boots it: a new boot id, the files kept"
tui_keys Escape

# delete: refused while a sandbox made from it exists, then gone with its files
tui_keys :; tui_type snapshots; tui_keys Enter; tui_wait 'Snapshots \(1\)' 5
tui_keys D; tui_wait 'Delete snapshot local/first:default\?' 3 && tui_keys y
tui_wait 'delete failed: .*created from it' 10 && [ "$(snapdirs)" = 1 ]
ok $? "D is refused while a sandbox made from the snapshot exists"
bx kill "$N" >/dev/null
tui_keys D; tui_wait 'Delete snapshot' 3 && tui_keys y
tui_wait 'Snapshots \(0\)' 10 && tui_wait 'no snapshots' 2; ok $? "D deletes it: gone from :snapshots"
[ "$(snapdirs)" = 0 ] && [ -z "$(find "$STATE/snapshots" -type f)" ]; ok $? "and its disk is freed"
tui_keys Escape

# volumes: one mounted by a sandbox; the view names it, Enter browses its files there
bx volume create data >/dev/null
V=$(node -e "fetch(process.env.E2B_API_URL+'/v2/sandboxes',{method:'POST',headers:{'X-API-Key':process.env.E2B_API_KEY,'Content-Type':'application/json'},body:JSON.stringify({templateID:'base',timeout:600,volumeMounts:[{name:'data',path:'/mnt/data'}]})}).then(r=>r.json()).then(j=>console.log(j.sandboxID))")
bx exec "$V" -- 'echo shared > /mnt/data/in-volume.txt' >/dev/null
tui_wait "$V" 10
tui_keys :; tui_type volumes; tui_keys Enter
tui_wait 'Volumes \(1\)' 5 && tui_screen | grep -Eq "data +[0-9.]+ ?[KMG]?i?B? +$V"
ok $? ":volumes shows the volume, its size and the sandbox that mounts it"
tui_keys Enter; tui_wait 'in-volume.txt' 10 && tui_screen | grep -q '/mnt/data'
ok $? "Enter browses its files in a sandbox that mounts it"
tui_keys Escape; tui_wait 'Volumes \(1\)' 5
tui_keys q; tui_keys q; tui_wait EXITED 10
[ "$(cat "$TMPD/exit")" = 0 ]; ok $? "q exits 0"
exit "$FAILED"
