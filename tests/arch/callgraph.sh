#!/bin/sh
# callgraph.sh - the file-level call graph of src/, from the built objects: one line "A.c B.c"
# when A.c uses a function or variable defined in B.c (nm: a symbol A leaves undefined that B
# defines). boxtop and boxtopd share some names, so a use is resolved in its own program first
# (src/daemon, or the rest), then in the code both link (src/core, src/proto).
# Usage: callgraph.sh BUILDDIR [SRCDIR]   (run after make; objects whose source is gone, left
# over from before a move, are skipped)
b=${1:-.}
s=${2:-$b}
find "$b/src" -name '*.o' | sort | while read -r o; do
    d=${o%/*}; f=${o##*/}; f=${f##*-}; src="${d#"$b"/}/${f%.o}.c"
    [ -f "$s/$src" ] || continue
    nm "$o" 2>/dev/null | awk -v s="$src" '
        $1 == "U" { print "U", s, $2 }
        NF == 3 && $2 ~ /^[TDBRC]$/ { print "D", s, $3 }'
done | awk '
    function group(s) {
        if (s ~ /^src\/(core|proto)\//) return "shared"
        return s ~ /^src\/daemon\// ? "daemon" : "client"
    }
    $1 == "D" { k = group($2) ":" $3; if (!(k in def)) def[k] = $2; next }
    { use[++n] = $2 " " $3 }
    END {
        for (i = 1; i <= n; i++) {
            split(use[i], p, " ")
            k = group(p[1]) ":" p[2]
            if (!(k in def)) k = "shared:" p[2]
            if ((k in def) && def[k] != p[1]) print p[1], def[k]
        }
    }' | sort -u
