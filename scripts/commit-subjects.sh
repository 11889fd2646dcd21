#!/usr/bin/env bash
# Commit messages (issue 18): a subject of at most 72 characters, then a body that says why. Checked for
# the commits after RULE_BASE (the rule's first session starts there); the older history keeps its
# subjects, since rewriting main would change every clone's commits.
#   bash scripts/commit-subjects.sh [BASE]   (default: RULE_BASE)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RULE_BASE=9b3fdceb42022195615f7e88408d3251f6d7a588
base=${1:-$RULE_BASE}
if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  echo "commit-subjects: $base is not in this clone (a shallow clone?): not checked"
  exit 0
fi
bad=0
checked=0
for sha in $(git rev-list --no-merges "$base..HEAD"); do
  checked=$((checked + 1))
  subject=$(git log -1 --format=%s "$sha")
  # the body without trailers (Co-authored-by: …, Signed-off-by: …)
  body=$(git log -1 --format=%b "$sha" | grep -Eiv '^(co-authored-by|signed-off-by|reviewed-by|acked-by): ' | tr -d '[:space:]' || true)
  if [ "${#subject}" -gt 72 ]; then
    echo "commit-subjects: ${sha:0:7} subject has ${#subject} characters (at most 72): $subject"
    bad=1
  fi
  if [ -z "$body" ]; then
    echo "commit-subjects: ${sha:0:7} has no body saying why: $subject"
    bad=1
  fi
done
[ "$bad" = 0 ] && echo "commit-subjects: $checked commits after ${base:0:7}, each a subject of at most 72 characters and a body"
exit "$bad"
