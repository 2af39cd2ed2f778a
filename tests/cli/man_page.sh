# The man page (docs/dtls.1) and `dtls [COMMAND] --help` must agree: the same
# commands, and for the top level and each command the same options, both
# ways (an option missing from the page, or a page listing one that is gone
# or misspelt). The page must also render without a groff warning.
#
#   bash tests/cli/man_page.sh path/to/dtls path/to/dtls.1
#
# What counts as "listed" in the page is a convention docs/dtls.1 follows:
# an option is the tag of a .TP paragraph (the line after .TP), under
# `.SH OPTIONS` for the top level or under `.SS "dtls COMMAND"` (in
# `.SH COMMANDS`) for a command. Flags merely mentioned in prose or in the
# SYNOPSIS do not count, so a cross-reference never hides a missing entry.
set -euo pipefail
# lib.sh changes directory, so the page's path is made absolute first.
MAN_PAGE=$(realpath "${2:?usage: $0 path/to/dtls path/to/dtls.1}")
source "$(dirname "$0")/lib.sh"
[[ -f $MAN_PAGE ]] || fail "no man page at $MAN_PAGE"
# sort and comm must order the lists the same way, whatever the locale.
export LC_ALL=C

# The version in the page's title line is the one the program reports (the
# version is set once, in CMake's project(); the page must follow it).
page_version=$(awk '/^\.TH / {for (i = 1; i <= NF; ++i) if ($i == "\"dtls") {v = $(i + 1); sub(/"$/, "", v); print v}}' \
    "$MAN_PAGE")
program_version=$("$DTLS" --version | awk '{print $2}')
[[ -n $page_version && $page_version == "$program_version" ]] ||
    fail "the man page's .TH says version '$page_version', dtls --version says '$program_version'"
pass "the man page is for version $program_version"

# help_commands: the subcommands in `dtls --help`, one a line. CLI11 lists
# them under "Subcommands:" as two-space-indented lines, up to a blank line.
help_commands() {
    "$DTLS" --help | awk '/^Subcommands:/ {on = 1; next} /^$/ {on = 0} on && /^  [^ ]/ {print $1}'
}

# help_flags [COMMAND]: the flags `dtls [COMMAND] --help` lists, one a line.
# Only the "Options:" block is read, and in it only option lines, which
# CLI11 indents by exactly two spaces ("  -h,--help   Print ..."); their
# first word is the flags, comma-separated. Wrapped descriptions are indented
# further, and words after the first ("Excludes: --insecure") name other
# options, so neither is read. (awk reads to the end rather than exit early,
# which could kill dtls with SIGPIPE and, with pipefail, fail the test.)
help_flags() {
    "$DTLS" "$@" --help |
        awk '/^Options:/ {on = 1; next} /^$/ {on = 0} on && /^  -/ {print $1}' |
        tr ',' '\n'
}

# man_entries: tab-separated lines, "command NAME" for each command section
# and "flag SCOPE FLAG" for each option the page lists, where SCOPE is "dtls"
# for the top level and "dtls NAME" for a command.
man_entries() {
    local line section="" tag_next=0 text word words
    while IFS= read -r line || [[ -n $line ]]; do
        if [[ $line =~ ^\.SH[[:space:]]+\"?([^\"]*) ]]; then
            section=""
            [[ ${BASH_REMATCH[1]} == OPTIONS ]] && section=dtls
            tag_next=0
        elif [[ $line =~ ^\.SS[[:space:]]+\"?dtls[[:space:]]+([a-z][a-z0-9-]*) ]]; then
            section="dtls ${BASH_REMATCH[1]}"
            printf 'command\t%s\n' "${BASH_REMATCH[1]}"
            tag_next=0
        elif [[ $line =~ ^\.SS ]]; then
            section=""
        elif [[ $line =~ ^\.T[PQ]([[:space:]]|$) ]]; then
            tag_next=1
        elif ((tag_next)); then
            tag_next=0
            [[ -n $section ]] || continue
            # Roff to plain words: drop font escapes (\fB, \fI, \fR, \fP,
            # \f(XX, \f[...]), turn \- into -, drop the macro name (.B, .BR,
            # .BI...) and quotes, and split on spaces, commas, | and brackets.
            # What is left that starts with a dash is a flag; the rest
            # (FILE, none|optional|require) is its argument.
            text=$(sed -E 's/\\f(\[[^]]*\]|\(..|.)//g; s/\\-/-/g; s/\\&//g; s/^\.[A-Z]+[[:space:]]*//; s/"//g' <<<"$line")
            read -ra words <<<"$(tr ',|[]{}' '      ' <<<"$text")"
            for word in "${words[@]}"; do
                if [[ $word =~ ^--?[[:alnum:]][[:alnum:]-]*$ ]]; then printf 'flag\t%s\t%s\n' "$section" "$word"; fi
            done
        fi
    done <"$MAN_PAGE"
}

# The page renders: no groff warning (-ww enables them all), man(7) macros.
require_tool groff groff-base
groff -man -Tutf8 -ww -z "$MAN_PAGE" 2>groff.err || fail "groff failed on $MAN_PAGE: $(cat groff.err)"
[[ ! -s groff.err ]] || fail "groff warns about $MAN_PAGE: $(cat groff.err)"

man_entries >man.txt
awk -F '\t' '$1 == "command" {print $2}' man.txt | sort -u >man_commands.txt
help_commands | sort -u >help_commands.txt
[[ -s help_commands.txt ]] || fail "no subcommands found in \`dtls --help\` (has its format changed?)"

# Every mismatch is reported before failing, each naming the flag.
problems=0
mismatch() {
    echo "MISMATCH: $*" >&2
    problems=$((problems + 1))
}

# compare HELP_FILE PAGE_FILE ONLY_IN_HELP ONLY_IN_PAGE: a mismatch for each
# line of one sorted list missing from the other; the last two arguments are
# printf formats, given that line.
compare() {
    local item
    while read -r item; do mismatch "$(printf "$3" "$item")"; done < <(comm -23 "$1" "$2")
    while read -r item; do mismatch "$(printf "$4" "$item")"; done < <(comm -13 "$1" "$2")
}

compare help_commands.txt man_commands.txt \
    "command '%s' is in \`dtls --help\` but has no .SS \"dtls COMMAND\" section in the man page" \
    "the man page documents command '%s', which \`dtls --help\` does not list"

# The top level, then each command (from --help; a command only the page
# has is reported above).
scopes=("")
mapfile -t -O 1 scopes <help_commands.txt
for command in "${scopes[@]}"; do
    scope="dtls${command:+ $command}"
    before=$problems
    help_flags ${command:+"$command"} | sort -u >help.txt
    [[ -s help.txt ]] || fail "no options found in \`$scope --help\` (has its format changed?)"
    awk -F '\t' -v scope="$scope" '$1 == "flag" && $2 == scope {print $3}' man.txt | sort -u >page.txt
    compare help.txt page.txt \
        "%s is in \`$scope --help\` but not listed (as a .TP tag) in the man page's $scope section" \
        "the man page lists %s under $scope, but \`$scope --help\` has no such option"
    ((problems > before)) || pass "$scope: the man page lists the same $(wc -l <help.txt) flags as --help"
done

((problems == 0)) || fail "$problems mismatch(es) between $MAN_PAGE and \`dtls --help\`"
pass "man page and --help agree on $(wc -l <help_commands.txt) commands and their options"
