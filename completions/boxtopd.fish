# fish completion for boxtopd: its flags from its own --help.
complete -c boxtopd -f
for f in (boxtopd --help 2>/dev/null | grep -oE '(^|[[:space:]])--[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*--//' | sort -u)
    complete -c boxtopd -l $f
end
complete -c boxtopd -l state-dir -r -F
complete -c boxtopd -l base-rootfs -r -F
complete -c boxtopd -l base -x -a 'image host'
complete -c boxtopd -l log-level -x -a 'debug info warn error'
