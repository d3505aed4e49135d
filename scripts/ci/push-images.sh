#!/usr/bin/env bash
# Builds and pushes the stack's images to its ECR repositories (tags are immutable: an existing tag is skipped).
#  - the migration runner, linux/arm64 (its task definition runs on ARM64), tagged data.migrationRunnerImageTag;
#  - each PBC with a services/<pbc>/Dockerfile, tagged services/<pbc>/VERSION, for linux/amd64: the PBC task
#    definitions declare cpuArchitecture X86_64, and an arm64-only image would not start there.
# Reads APPLICATION and DATABASE (stack outputs as JSON) from the environment.
#   scripts/ci/push-images.sh <stack>
set -euo pipefail
stack="$1"
exists() { aws ecr describe-images --repository-name "${1#*/}" --image-ids "imageTag=$2" >/dev/null 2>&1; }

repo=$(jq -r .migrationRepositoryUrl <<<"$DATABASE")
tag=$(node -r ./engine/register.js -e '
  const { validateStackConfig } = require("./config/load");
  const { readProgram } = require("./engine/evaluate");
  const s = process.argv[1];
  process.stdout.write(validateStackConfig(readProgram(".", s).config, "retail-platform", s).data.migrationRunnerImageTag);
' "$stack")
if exists "$repo" "$tag"; then
  echo "migration runner $repo:$tag exists"
else
  node -r ./engine/register.js scripts/bundle-handlers.ts migration-runner
  docker buildx build --platform linux/arm64 -f handlers/migration-runner/Dockerfile -t "$repo:$tag" --push .
fi

for dockerfile in services/*/Dockerfile; do
  [ -e "$dockerfile" ] || { echo "no services/<pbc>/Dockerfile in this repository: PBC images are built elsewhere"; break; }
  pbc=$(basename "$(dirname "$dockerfile")")
  repo=$(jq -r --arg p "$pbc" '.repositoryUrls[$p] // empty' <<<"$APPLICATION")
  [ -n "$repo" ] || { echo "::warning::no ECR repository for $pbc in stack $stack"; continue; }
  tag=$(cat "services/$pbc/VERSION")
  if exists "$repo" "$tag"; then echo "$repo:$tag exists"; continue; fi
  docker buildx build --platform linux/amd64 -f "$dockerfile" -t "$repo:$tag" --push "services/$pbc"
done
