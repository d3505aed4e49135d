#!/usr/bin/env bash
# Creates or updates the one plan-report comment of a pull request (found by its marker), with the gh CLI.
#   GH_TOKEN=… scripts/ci/sticky-comment.sh <pr-number> <file.md>
set -euo pipefail
pr="$1"
file="$2"
marker='<!-- retail-platform-plan-report -->'
repo="${GITHUB_REPOSITORY:?}"
id=$(gh api --paginate "repos/$repo/issues/$pr/comments" --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$file" >/dev/null
else
  gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$file" >/dev/null
fi
