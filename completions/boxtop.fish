# fish completion for boxtop: commands and flags from its own --help, sandbox ids from
# `boxtop ls` on the current backend (5 s at most), ID:path for cp.

function __boxtop_commands
    boxtop --help 2>/dev/null | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { n = $1; $1 = ""; sub(/^ +/, ""); print n "\t" $0 }'
end

function __boxtop_ids
    timeout 5 boxtop ls 2>/dev/null | awk '$1 ~ /^[a-z0-9][a-z0-9-]*$/ { print $1 "\t" $2 " " $3 }'
end

function __boxtop_flags
    boxtop $argv --help 2>/dev/null | grep -oE '(^|[[:space:][(|,])--[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*--//' | sort -u
end

function __boxtop_cp_arg
    set -l tok (commandline -ct)
    if string match -q '*:*' -- $tok
        set -l id (string split -m1 : -- $tok)[1]
        set -l p (string split -m1 : -- $tok)[2]
        set -l dir .
        string match -q '*/*' -- $p; and set dir (string replace -r '/[^/]*$' '' -- $p)
        string match -q '/*' -- $p; and test -z "$dir"; and set dir /
        for f in (timeout 5 boxtop exec $id -- ls -1Ap $dir 2>/dev/null)
            if test "$dir" = .
                echo "$id:$f"
            else
                echo "$id:"(string replace -r '/$' '' -- $dir)"/$f"
            end
        end
    else
        __boxtop_ids | sed 's/\t.*/:/'
    end
end

set -l id_cmds info kill pause resume timeout metrics logs commands exec snapshot fork
complete -c boxtop -f
complete -c boxtop -n __fish_use_subcommand -a '(__boxtop_commands)'
for f in (__boxtop_flags)
    complete -c boxtop -n __fish_use_subcommand -l $f
end
complete -c boxtop -n "__fish_seen_subcommand_from $id_cmds" -a '(__boxtop_ids)'
complete -c boxtop -n '__fish_seen_subcommand_from cp' -F -a '(__boxtop_cp_arg)'
complete -c boxtop -n 'not __fish_use_subcommand; and string match -q -- "-*" (commandline -ct)' -a '(__boxtop_flags (commandline -opc)[2] | sed "s/^/--/")'
