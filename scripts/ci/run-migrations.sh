#!/usr/bin/env bash
# Runs the stack's migration task once and fails unless it exits 0 — before the services roll to new images.
# Reads the stack outputs as pulumi/actions exposes them (JSON strings in env).
#   APPLICATION='{…}' DATABASE='{…}' SUBNET_IDS='{…}' SECURITY_GROUP_IDS='{…}' scripts/ci/run-migrations.sh
set -euo pipefail
cluster=$(jq -r .clusterName <<<"$APPLICATION")
taskdef=$(jq -r .migrationTaskDefinitionArn <<<"$DATABASE")
subnets=$(jq -r '.application | join(",")' <<<"$SUBNET_IDS")
group=$(jq -r .application <<<"$SECURITY_GROUP_IDS")
arn=$(aws ecs run-task --launch-type FARGATE --cluster "$cluster" --task-definition "$taskdef" \
  --network-configuration "awsvpcConfiguration={subnets=[$subnets],securityGroups=[$group],assignPublicIp=DISABLED}" \
  --query 'tasks[0].taskArn' --output text)
echo "migration task $arn"
aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$arn"
code=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$arn" --query 'tasks[0].containers[?name!=`volume-permissions`] | [0].exitCode' --output text)
echo "migration task exited with $code"
[ "$code" = "0" ]
