#!/usr/bin/env bash
# Checks that comments and docs cite only documents that are in this repository.
#
#   bash scripts/lib/check-doc-refs.sh        # exit 0: clean; exit 1: offending lines listed on stdout
#
# Scans src/, tests/, bench/, docs/ and README.md (bin/ and obj/ skipped) and reports:
#   - any mention of the documents kept outside the repository: "API-DIGEST", "ARCHITECTURE §",
#     "ARCHITECTURE.md", "../shared/", or a bare digest section ("§3.1"), "Appendix A.n/B.n", "DOC-A/B";
#   - a rule id (R-XXX-N, a range R-XXX-N..M, a family R-XXX-*), an error table (A.n), a default (B.n)
#     or a documentation quirk (Tnn) that docs/provider-rules.md does not define;
#   - a file that cites such an id but never names provider-rules.md (the convention at the top of
#     docs/provider-rules.md);
#   - a path docs/….md, or a relative Markdown link to a .md file, that does not exist.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rules=docs/provider-rules.md
status=0

report() { # file:line:text  reason
  printf '%s  <- %s\n' "$1" "$2"
  status=1
}

targets=()
for t in src tests bench docs README.md; do
  [[ -e "$t" ]] && targets+=("$t")
done

# grep -rnI over the targets, skipping build output; prints file:line:text.
scan() {
  grep -rnIE --exclude-dir=bin --exclude-dir=obj --exclude-dir=node_modules "$@" -- "${targets[@]}" || true
}

if [[ ! -f "$rules" ]]; then
  echo "$rules is missing"
  exit 1
fi

# 1. References to documents outside the repository.
while IFS= read -r hit; do
  [[ -n "$hit" ]] && report "$hit" "cites a document outside the repository"
done < <(scan -e 'API-DIGEST' -e 'ARCHITECTURE §' -e 'ARCHITECTURE\.md' -e '\.\./shared/' \
              -e '§[0-9]' -e 'Appendix [AB]\.?[0-9]' -e 'DOC-[AB]\b')

# 2. Ids that docs/provider-rules.md does not define.
declare -A defined=() families=()
while IFS= read -r id; do
  defined["$id"]=1
  [[ "$id" == R-* ]] && families["${id%-*}"]=1
done < <(
  grep -oE '\*\*(R-[A-Z]+-[0-9]+|B\.[0-9]+|T[0-9]+)\*\*' "$rules" | tr -d '*'
  grep -oE '^### A\.[0-9]+' "$rules" | sed 's/^### //'
)
is_defined() { [[ -n "${defined[$1]:-}" ]]; }
family_defined() { [[ -n "${families[$1]:-}" ]]; }

id_re='R-[A-Z]+-([0-9]+(\.\.[0-9]+)?|\*)|\<[AB]\.[0-9]+\>|\<T[0-9]{2}\>'
while IFS= read -r hit; do          # file:line:id, one per id
  [[ -z "$hit" ]] && continue
  [[ "${hit%%:*}" == "$rules" ]] && continue
  id="${hit#*:*:}"
  where="${hit%:"$id"}"
  case "$id" in
    R-*-\*)
      family_defined "${id%-\*}" || report "$where: $id" "rule family not in $rules" ;;
    R-*..*)
      first="${id%..*}"; last="${first%-*}-${id##*..}"
      is_defined "$first" || report "$where: $id" "$first is not defined in $rules"
      is_defined "$last" || report "$where: $id" "$last is not defined in $rules" ;;
    *)
      is_defined "$id" || report "$where: $id" "not defined in $rules" ;;
  esac
done < <(scan -o -e "$id_re")

# 3. A file that cites ids must name provider-rules.md (at its first citation).
while IFS= read -r file; do
  [[ -z "$file" || "$file" == "$rules" ]] && continue
  if ! grep -q 'provider-rules\.md' "$file"; then
    first="$(grep -nE "$id_re" "$file" | head -n 1)"
    report "$file:$first" "cites ids of $rules but never names it"
  fi
done < <(scan -l -e "$id_re")

# 4. Paths docs/….md that do not exist, and broken relative .md links in Markdown files.
while IFS= read -r hit; do          # file:line:docs/….md
  [[ -z "$hit" ]] && continue
  path="${hit#*:*:}"
  [[ -f "$path" ]] || report "$hit" "$path does not exist"
done < <(scan -o -e 'docs/[A-Za-z0-9_./-]+\.md')

while IFS= read -r hit; do
  [[ -z "$hit" ]] && continue
  file="${hit%%:*}"
  text="${hit#*:*:}"
  dir="$(dirname "$file")"
  while IFS= read -r link; do
    [[ -z "$link" ]] && continue
    case "$link" in http://*|https://*|/*) continue ;; esac
    [[ -f "$dir/$link" ]] || report "$hit" "link target $link does not exist"
  done < <(grep -oE '\]\([^)#[:space:]]+\.md' <<<"$text" | sed -E 's#^\]\(##' || true)
done < <(scan --include='*.md' -e '\]\([^)#[:space:]]+\.md')

if [[ $status -eq 0 ]]; then
  echo "doc references: ok"
fi
exit $status
