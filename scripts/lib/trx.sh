#!/usr/bin/env bash
# shellcheck shell=bash
#
# Reading the counters of a Visual Studio test results file (.trx), without an XML tool.
#
#   source scripts/lib/trx.sh
#   bs_trx_counts FILE   # prints "total passed failed skipped outcome", e.g. "12 11 1 0 Failed"
#
# failed counts failed + error + timeout + aborted; skipped is the larger of notExecuted and
# total - executed (VSTest records xunit's skipped tests only in the latter). Attribute order, quoting style, line
# breaks inside the element and a UTF-8 byte-order mark do not matter. Exits 1 (printing nothing)
# when FILE has no <Counters> element.

# _bs_trx_attr ELEMENT NAME — the integer value of attribute NAME in ELEMENT, or empty.
_bs_trx_attr() {
    local element=$1 name=$2
    printf '%s' "$element" | grep -oE "[[:space:]]${name}[[:space:]]*=[[:space:]]*[\"'][0-9]+[\"']" | head -n1 | grep -oE '[0-9]+' | head -n1
}

bs_trx_counts() {
    local file=$1 flat counters summary outcome
    [ -f "$file" ] || return 1
    flat=$(LC_ALL=C tr '\r\n\t' '   ' <"$file")
    counters=$(printf '%s' "$flat" | LC_ALL=C grep -oE '<Counters[[:space:]][^>]*>' | head -n1)
    [ -n "$counters" ] || return 1
    summary=$(printf '%s' "$flat" | LC_ALL=C grep -oE '<ResultSummary[[:space:]][^>]*>' | head -n1)
    outcome=$(printf '%s' "$summary" | LC_ALL=C grep -oE "outcome[[:space:]]*=[[:space:]]*[\"'][A-Za-z]+" | head -n1 | sed -E "s/.*[\"']//")

    local total executed passed failed error timeout aborted not_executed skipped
    total=$(_bs_trx_attr "$counters" total)
    executed=$(_bs_trx_attr "$counters" executed)
    passed=$(_bs_trx_attr "$counters" passed)
    failed=$(_bs_trx_attr "$counters" failed)
    error=$(_bs_trx_attr "$counters" error)
    timeout=$(_bs_trx_attr "$counters" timeout)
    aborted=$(_bs_trx_attr "$counters" aborted)
    not_executed=$(_bs_trx_attr "$counters" notExecuted)
    total=${total:-0}
    passed=${passed:-0}
    failed=$(( ${failed:-0} + ${error:-0} + ${timeout:-0} + ${aborted:-0} ))
    # VSTest counts an xunit [Fact(Skip=...)] only as total - executed (notExecuted stays 0); other
    # writers fill notExecuted. Take the larger.
    skipped=${not_executed:-0}
    if [ -n "$executed" ] && [ "$total" -ge "$executed" ] && [ $((total - executed)) -gt "$skipped" ]; then
        skipped=$((total - executed))
    fi
    printf '%s %s %s %s %s\n' "$total" "$passed" "$failed" "$skipped" "${outcome:-Unknown}"
}

# bs_trx_fault_lines FILE — the lines tests wrote to their output that start with "[fault-" (the fault tests'
# counts, issue 5), XML entities decoded, in the order they appear. Prints nothing when there are none.
bs_trx_fault_lines() {
    local file=$1
    [ -f "$file" ] || return 0
    LC_ALL=C grep -oE '\[fault-[0-9]+\][^<]*' "$file" \
        | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' -e 's/[[:space:]]*$//' || true
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    for f in "$@"; do
        printf '%s %s\n' "$(bs_trx_counts "$f" || echo 'no-counters')" "$f"
    done
fi
