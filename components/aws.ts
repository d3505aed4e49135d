// The program's one import point for @pulumi/aws. The package index eagerly loads all of its ~300 service modules
// (about 100 ms per plan), so this re-exports only the services the platform uses; code still reads `aws.ec2.Vpc`.
// A tier that needs another service adds it here.
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as ec2 from "@pulumi/aws/ec2";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as secretsmanager from "@pulumi/aws/secretsmanager";
export * as vpc from "@pulumi/aws/vpc";
export { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export * as s3 from "@pulumi/aws/s3";
export * as elb from "@pulumi/aws/elb";
export type * as types from "@pulumi/aws/types";
export * as backup from "@pulumi/aws/backup";
export * as dynamodb from "@pulumi/aws/dynamodb";
export * as ecr from "@pulumi/aws/ecr";
export * as ecs from "@pulumi/aws/ecs";
export * as elasticache from "@pulumi/aws/elasticache";
export * as rds from "@pulumi/aws/rds";
export * as acm from "@pulumi/aws/acm";
export * as appautoscaling from "@pulumi/aws/appautoscaling";
export * as cloudfront from "@pulumi/aws/cloudfront";
export * as lb from "@pulumi/aws/lb";
export * as route53 from "@pulumi/aws/route53";
export * as servicediscovery from "@pulumi/aws/servicediscovery";
export * as sns from "@pulumi/aws/sns";
export * as wafv2 from "@pulumi/aws/wafv2";
export * as sqs from "@pulumi/aws/sqs";
export * as lambda from "@pulumi/aws/lambda";
// Services of the clickstream, analytics, governance and identity tiers.
export * as apigateway from "@pulumi/aws/apigateway";
export * as athena from "@pulumi/aws/athena";
export * as budgets from "@pulumi/aws/budgets";
export * as cfg from "@pulumi/aws/cfg";
export * as cloudtrail from "@pulumi/aws/cloudtrail";
export * as cognito from "@pulumi/aws/cognito";
export * as glue from "@pulumi/aws/glue";
export * as guardduty from "@pulumi/aws/guardduty";
export * as kinesis from "@pulumi/aws/kinesis";
export * as redshiftserverless from "@pulumi/aws/redshiftserverless";
export * as ssm from "@pulumi/aws/ssm";
