#!/bin/sh
# soak.sh - make soak (issue 15; not part of make check). For SOAK_MIN minutes (default 60):
# a real boxtopd, boxtop's TUI on it in tmux with one terminal printing continuously (a
# detached tab) and the file browser on top watching a busy directory (files made and removed
# ten times a second), a `boxtop logs --follow`, and SOAK_SANDBOXES (default 200) sandboxes
# created and killed all the time. Every 10 s boxtop's and boxtopd's RSS, CPU time and open
# fds (and the load average) go to $SOAK_OUT/soak.csv (default ./soak-out); the end draws them
# (soak.png with gnuplot, else a text chart in soak-chart.txt) and checks: after the warm-up
# (10 min, or a third of a shorter run) RSS grows < 5 % and fds do not grow (the median of the
# last third of the samples after the warm-up is not above the median of the first third:
# connections, and a sandbox between its kill and its replacement, come and go; a leaked fd
# stays and moves the median); no cgroup, mount or process of this boxtopd is left.
. "$(dirname "$0")/../tui/lib.sh"
. "$abs_top_srcdir/tests/tui/bxd.sh"
MIN=${SOAK_MIN:-60}
NSB=${SOAK_SANDBOXES:-200}
OUT=${SOAK_OUT:-$PWD/soak-out}
mkdir -p "$OUT"
CSV=$OUT/soak.csv
CHURN=
cleanup() {
    [ -n "$CHURN" ] && kill "$CHURN" 2>/dev/null
    [ -n "$LOGS" ] && kill "$LOGS" 2>/dev/null
    tui_stop
    bxd_stop
    tail -n 2000 "$TMPD/boxtopd.log" > "$OUT/boxtopd.log" 2>/dev/null
    rm -rf "$TMPD"
}
trap cleanup EXIT
STATE=$TMPD/bxd
mkdir -p "$STATE"
# room for the population and its churn (the defaults are 20 running, 120 creates a minute)
"$BOXTOPD" --foreground --state-dir "$STATE" --api-listen 127.0.0.1:0 --envd-listen 127.0.0.1:0 \
    --max-sandboxes $((NSB + 20)) --create-rate 100000 >> "$TMPD/boxtopd.log" 2>&1 &
DPID=$!
n=300; while [ $n -gt 0 ] && [ ! -s "$STATE/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
eval "$("$BOXTOPD" --print-env --state-dir "$STATE")"
inst=$(printf '%s' "$STATE" | sha256sum | cut -c1-8) # boxtopd's cgroups: boxtopd-boxtopd-<inst>

# the population: NSB sandboxes, then churn (kill a random one, create one) until stopped
i=0; while [ $i -lt "$NSB" ]; do "$BOXTOP" create --timeout 3600 >> "$TMPD/ids" 2>/dev/null; i=$((i+1)); done
echo "# $(wc -l < "$TMPD/ids") sandboxes up"
churn() {
    while :; do
        victim=$(shuf -n1 "$TMPD/ids")
        "$BOXTOP" kill "$victim" >/dev/null 2>&1
        grep -v "^$victim\$" "$TMPD/ids" > "$TMPD/ids.new"; mv "$TMPD/ids.new" "$TMPD/ids"
        "$BOXTOP" create --timeout 3600 >> "$TMPD/ids" 2>/dev/null
        sleep 1
    done
}
churn & CHURN=$!
T=$("$BOXTOP" create --timeout 7200)
"$BOXTOP" logs "$T" --follow > /dev/null 2>&1 & LOGS=$!

cd "$TMPD" # the file browser's local pane: a quiet directory, not the build tree
tui_start 160 40
tui_wait "Sandboxes \\(" 60
tui_keys : ; tui_type "shell $T"; tui_keys Enter
tui_wait '[$#] *$' 30
# bursts of 20 lines: the 10 000-line scrollback is full within a minute, so growth after
# the warm-up is not the scrollback filling up. In the background the same shell keeps
# /home/user busy (the directory the file browser's sandbox pane opens and watches): a file
# made and another removed every 0.1 s, 20 of them at any time.
tui_type 'cd /home/user && (n=0; while :; do n=$((n+1)); date > f$((n%40)).soak; rm -f f$(( (n+20) % 40 )).soak; sleep 0.1; done) >/dev/null 2>&1 & while :; do for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do date +%s.%N; done; sleep 0.05; done'; tui_keys Enter
tui_wait '^[0-9]{10}\.[0-9]+ *$' 30 || echo "# the terminal does not print"
# detach the tab (it keeps its stream and screen) and open the file browser on the same sandbox
tui_keys C-]; tui_keys d
tui_wait "Sandboxes \\(" 20
tui_keys : ; tui_type "files $T"; tui_keys Enter
tui_wait 'sandbox: /home/user' 30 || echo "# the file browser did not open"
tui_wait 'f[0-9]+\.soak' 30 || echo "# the file browser does not show the busy directory"
TPID=$(cat "$TMPD/pid")

sample() { # pid: rss_kb cpu_ticks fds
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
    cpu=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null)
    fds=$(ls "/proc/$1/fd" 2>/dev/null | wc -l)
    echo "${rss:-0},${cpu:-0},$fds"
}
echo "t_s,boxtop_rss_kb,boxtop_cpu_ticks,boxtop_fds,boxtopd_rss_kb,boxtopd_cpu_ticks,boxtopd_fds,sandboxes,load1" > "$CSV"
start=$(date +%s); end=$((start + MIN * 60))
while [ "$(date +%s)" -lt "$end" ]; do
    t=$(( $(date +%s) - start ))
    echo "$t,$(sample "$TPID"),$(sample "$DPID"),$(wc -l < "$TMPD/ids"),$(cut -d' ' -f1 /proc/loadavg)" >> "$CSV"
    sleep 10
done
kill "$CHURN"; wait "$CHURN" 2>/dev/null; CHURN=
kill "$LOGS" 2>/dev/null; LOGS=
tui_keys q; tui_wait 'Sandboxes \(' 10; tui_keys q; tui_wait EXITED 20 || echo "# boxtop did not quit"
tui_stop
for id in $(cat "$TMPD/ids") $T; do "$BOXTOP" kill "$id" >/dev/null 2>&1; done
bxd_stop
sleep 2

# verdict: RSS from the first sample after the warm-up to the last; fds as the medians of the
# first and the last third of the samples after the warm-up; CPU as the average share of one
# core over the whole run
warm=$((MIN * 60 / 3)); [ $warm -gt 600 ] && warm=600
verdict=$(awk -F, -v warm="$warm" -v hz="$(getconf CLK_TCK)" '
    NR > 1 { last = $1; if (!seen++) { c0 = $3; e0 = $6; t0 = $1 } c1 = $3; e1 = $6 }
    NR > 1 && $1 >= warm {
        if (!n++) { r0 = $2; d0 = $5 }
        r1 = $2; d1 = $5; if ($2 > rp) rp = $2; if ($5 > dp) dp = $5
        f[n] = $4; g[n] = $7 }
    function median(a, from, to,    v, k, i, j, x) { # of a[from..to]
        k = 0; for (i = from; i <= to; i++) v[++k] = a[i]
        for (i = 2; i <= k; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
        return v[int((k + 1) / 2)] }
    END {
        if (n < 3) { print "FAIL too few samples after the warm-up"; exit }
        m = int(n / 3)
        fa = median(f, 1, m); fb = median(f, n - m + 1, n); ga = median(g, 1, m); gb = median(g, n - m + 1, n)
        rg = (r1 - r0) * 100 / r0; dg = (d1 - d0) * 100 / d0
        ok = rg < 5 && dg < 5 && fb <= fa && gb <= ga
        dt = last - t0; if (dt < 1) dt = 1
        printf "%s boxtop RSS %+.1f%% (%d->%d kB, peak %d), fds %d->%d, CPU %.1f%%; boxtopd RSS %+.1f%% (%d->%d kB, peak %d), fds %d->%d, CPU %.1f%% (%d samples after %d s; fds: median of the first and the last third of them)\n",
            ok ? "PASS" : "FAIL", rg, r0, r1, rp, fa, fb, (c1 - c0) * 100 / hz / dt,
            dg, d0, d1, dp, ga, gb, (e1 - e0) * 100 / hz / dt, n, warm }' "$CSV")
# leftovers of this boxtopd: its cgroups (boxtopd-boxtopd-<inst>), mounts naming its state
# dir, and processes in its cgroups or started by it (sandbox inits carry the state dir in
# their environment; boxtopd has it in its arguments)
cg=$(find /sys/fs/cgroup -maxdepth 4 -type d -name "*$inst*" 2>/dev/null | wc -l)
mnt=$(grep -c "$STATE" /proc/self/mountinfo)
left=$( { grep -l "boxtopd-boxtopd-$inst/" /proc/[0-9]*/cgroup 2>/dev/null
           grep -lz "^BOXTOPD_RT_INIT=.*$STATE/" /proc/[0-9]*/environ 2>/dev/null
           pgrep -f -- "--state-dir $STATE" | sed 's|^|/proc/|; s|$|/|'; } |
        sed 's|^/proc/\([0-9]*\)/.*|\1|' | sort -u)
procs=0
for p in $left; do
    [ -d "/proc/$p" ] || continue
    procs=$((procs + 1)); echo "# left: pid $p $(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)"
done
echo "# $verdict"
echo "# left at the end: $cg cgroups ($inst*), $mnt mounts, $procs processes"
if command -v gnuplot >/dev/null 2>&1; then
    gnuplot -e "set terminal png size 1000,600; set output '$OUT/soak.png'; set datafile separator ',';
        set key autotitle columnhead; set xlabel 's'; set ylabel 'RSS kB'; set y2label 'fds'; set y2tics;
        plot '$CSV' using 1:2 with lines, '' using 1:5 with lines, '' using 1:4 axes x1y2 with lines, '' using 1:7 axes x1y2 with lines"
    echo "# chart: $OUT/soak.png"
else
    awk -F, 'NR == 1 { next } { t[NR] = $1; a[NR] = $2; b[NR] = $5; if ($2 > ma) ma = $2; if ($5 > mb) mb = $5 }
        END { printf "RSS over time (each # = 2%% of the maximum: boxtop %d kB, boxtopd %d kB)\n", ma, mb
              for (i = 2; i <= NR; i++) { printf "%6ds boxtop  %-50s %d kB\n", t[i], substr("##################################################", 1, a[i] * 50 / ma), a[i]
                                          printf "%6s  boxtopd %-50s %d kB\n", "", substr("##################################################", 1, b[i] * 50 / mb), b[i] } }' "$CSV" > "$OUT/soak-chart.txt"
    echo "# chart: $OUT/soak-chart.txt"
fi
{ echo "$verdict"; echo "left: $cg cgroups, $mnt mounts, $procs processes"; } > "$OUT/soak-result.txt"
case $verdict in PASS*) [ "$cg" = 0 ] && [ "$mnt" = 0 ] && [ "$procs" = 0 ] && exit 0 ;; esac
exit 1
