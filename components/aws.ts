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
