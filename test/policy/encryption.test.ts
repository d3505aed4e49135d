import { runResource, UNKNOWN } from "./harness";
import { compliant, violates, notApplicable, deferred } from "./assert";
import { rdsStorageEncrypted } from "../../policy/policies/rds-storage-encrypted";
import { elasticacheEncryption } from "../../policy/policies/elasticache-encryption";
import { sqsQueueEncryption } from "../../policy/policies/sqs-queue-encryption";
import { snsTopicEncryption } from "../../policy/policies/sns-topic-encryption";
import { kinesisStreamEncryption } from "../../policy/policies/kinesis-stream-encryption";
import { firehoseDeliveryStreamEncryption } from "../../policy/policies/firehose-delivery-stream-encryption";
import { dynamodbTableEncryption } from "../../policy/policies/dynamodb-table-encryption";
import { secretsmanagerSecretEncryption } from "../../policy/policies/secretsmanager-secret-encryption";
import { cloudwatchLogGroupEncryption } from "../../policy/policies/cloudwatch-log-group-encryption";
import { glueEncryption } from "../../policy/policies/glue-encryption";
import { athenaWorkgroupEncryption } from "../../policy/policies/athena-workgroup-encryption";
import { redshiftserverlessNamespaceEncryption } from "../../policy/policies/redshiftserverless-namespace-encryption";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/data-key-id";

describe("policy: encryption at rest (resource policies)", () => {
    describe("rds-storage-encrypted", () => {
        const p = rdsStorageEncrypted;
        it("passes an Aurora cluster with storageEncrypted true", async () =>
            compliant(
                await runResource(p, {
                    type: "aws:rds/cluster:Cluster",
                    props: { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: KEY },
                }),
            ));
        it("fails an Aurora cluster without storageEncrypted (the Aurora gap awsguard leaves)", async () =>
            violates(await runResource(p, { type: "aws:rds/cluster:Cluster", props: { engine: "aurora-postgresql" } }), /not set/));
        it("fails an Aurora cluster with storageEncrypted false", async () =>
            violates(await runResource(p, { type: "aws:rds/cluster:Cluster", props: { storageEncrypted: false } }), /is false/));
        it("passes an RDS instance with storageEncrypted true", async () =>
            compliant(await runResource(p, { type: "aws:rds/instance:Instance", props: { storageEncrypted: true } })));
        it("fails an RDS instance without storageEncrypted", async () =>
            violates(await runResource(p, { type: "aws:rds/instance:Instance", props: { instanceClass: "db.t4g.micro" } }), /not set/));
        it("is not applicable to a read replica", async () =>
            notApplicable(await runResource(p, { type: "aws:rds/instance:Instance", props: { replicateSourceDb: "src" } })));
        it("fails a global cluster without storageEncrypted", async () =>
            violates(
                await runResource(p, { type: "aws:rds/globalCluster:GlobalCluster", props: { engine: "aurora-postgresql" } }),
                /not set/,
            ));
        it("is not applicable to other types", async () =>
            notApplicable(await runResource(p, { type: "aws:s3/bucket:Bucket", props: {} })));
        it("defers an unknown storageEncrypted at preview", async () =>
            deferred(await runResource(p, { type: "aws:rds/cluster:Cluster", props: { storageEncrypted: UNKNOWN } })));
    });

    describe("elasticache-encryption", () => {
        const p = elasticacheEncryption;
        const rg = "aws:elasticache/replicationGroup:ReplicationGroup";
        it("passes a replication group encrypted at rest and in transit", async () =>
            compliant(
                await runResource(p, { type: rg, props: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, kmsKeyId: KEY } }),
            ));
        it("fails without at-rest encryption", async () =>
            violates(await runResource(p, { type: rg, props: { transitEncryptionEnabled: true } }), /atRestEncryptionEnabled/));
        it("fails without in-transit encryption", async () =>
            violates(
                await runResource(p, { type: rg, props: { atRestEncryptionEnabled: true, transitEncryptionEnabled: false } }),
                /transitEncryptionEnabled is false/,
            ));
        it("fails transit mode preferred", async () =>
            violates(
                await runResource(p, {
                    type: rg,
                    props: { atRestEncryptionEnabled: true, transitEncryptionEnabled: true, transitEncryptionMode: "preferred" },
                }),
                /preferred/,
            ));
        it("fails a standalone Memcached cluster", async () =>
            violates(
                await runResource(p, {
                    type: "aws:elasticache/cluster:Cluster",
                    props: { engine: "memcached", transitEncryptionEnabled: true },
                }),
                /Memcached/,
            ));
        it("fails a standalone Redis cluster", async () =>
            violates(
                await runResource(p, { type: "aws:elasticache/cluster:Cluster", props: { engine: "redis" } }),
                /cannot be encrypted at rest/,
            ));
        it("is not applicable to a replication group member", async () =>
            notApplicable(await runResource(p, { type: "aws:elasticache/cluster:Cluster", props: { replicationGroupId: "rg" } })));
        it("is not applicable to serverless caches (always encrypted)", async () =>
            notApplicable(await runResource(p, { type: "aws:elasticache/serverlessCache:ServerlessCache", props: { engine: "valkey" } })));
    });

    const simple: [string, typeof sqsQueueEncryption, string, Record<string, unknown>, Record<string, unknown>, RegExp][] = [
        ["sqs-queue-encryption (KMS)", sqsQueueEncryption, "aws:sqs/queue:Queue", { kmsMasterKeyId: KEY }, {}, /neither/],
        [
            "sqs-queue-encryption (SSE-SQS explicit)",
            sqsQueueEncryption,
            "aws:sqs/queue:Queue",
            { sqsManagedSseEnabled: true },
            { sqsManagedSseEnabled: false },
            /unencrypted/,
        ],
        ["sns-topic-encryption", snsTopicEncryption, "aws:sns/topic:Topic", { kmsMasterKeyId: KEY }, {}, /kmsMasterKeyId/],
        [
            "kinesis-stream-encryption",
            kinesisStreamEncryption,
            "aws:kinesis/stream:Stream",
            { encryptionType: "KMS", kmsKeyId: KEY },
            { encryptionType: "NONE" },
            /NONE/,
        ],
        [
            "kinesis-stream-encryption (no key)",
            kinesisStreamEncryption,
            "aws:kinesis/stream:Stream",
            { encryptionType: "KMS", kmsKeyId: KEY },
            { encryptionType: "KMS" },
            /kmsKeyId is not set/,
        ],
        [
            "firehose-delivery-stream-encryption",
            firehoseDeliveryStreamEncryption,
            "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
            { destination: "extended_s3", serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY } },
            { destination: "extended_s3" },
            /serverSideEncryption/,
        ],
        [
            "firehose-delivery-stream-encryption (CMK without ARN)",
            firehoseDeliveryStreamEncryption,
            "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
            { destination: "extended_s3", serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" } },
            { destination: "extended_s3", serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK" } },
            /keyArn/,
        ],
        [
            "dynamodb-table-encryption",
            dynamodbTableEncryption,
            "aws:dynamodb/table:Table",
            { serverSideEncryption: { enabled: true, kmsKeyArn: KEY } },
            { serverSideEncryption: { enabled: false } },
            /AWS-owned/,
        ],
        [
            "secretsmanager-secret-encryption",
            secretsmanagerSecretEncryption,
            "aws:secretsmanager/secret:Secret",
            { kmsKeyId: KEY },
            {},
            /aws\/secretsmanager/,
        ],
        [
            "secretsmanager-secret-encryption (replica)",
            secretsmanagerSecretEncryption,
            "aws:secretsmanager/secret:Secret",
            { kmsKeyId: KEY, replicas: [{ region: "us-east-1", kmsKeyId: KEY }] },
            { kmsKeyId: KEY, replicas: [{ region: "us-east-1" }] },
            /replica in us-east-1/,
        ],
        [
            "cloudwatch-log-group-encryption",
            cloudwatchLogGroupEncryption,
            "aws:cloudwatch/logGroup:LogGroup",
            { kmsKeyId: KEY },
            { retentionInDays: 30 },
            /kmsKeyId/,
        ],
        [
            "redshiftserverless-namespace-encryption",
            redshiftserverlessNamespaceEncryption,
            "aws:redshiftserverless/namespace:Namespace",
            { namespaceName: "n", kmsKeyId: KEY },
            { namespaceName: "n" },
            /kmsKeyId/,
        ],
        [
            "athena-workgroup-encryption",
            athenaWorkgroupEncryption,
            "aws:athena/workgroup:Workgroup",
            { configuration: { resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY } } } },
            { configuration: { resultConfiguration: { outputLocation: "s3://x/" } } },
            /encryptionOption/,
        ],
        [
            "athena-workgroup-encryption (enforcement)",
            athenaWorkgroupEncryption,
            "aws:athena/workgroup:Workgroup",
            { configuration: { managedQueryResultsConfiguration: { enabled: true } } },
            {
                configuration: {
                    enforceWorkgroupConfiguration: false,
                    resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_KMS" } },
                },
            },
            /enforceWorkgroupConfiguration/,
        ],
    ];
    for (const [title, policy, type, good, bad, why] of simple) {
        describe(title, () => {
            it("passes the compliant case", async () => compliant(await runResource(policy, { type, props: good })));
            it("fails the non-compliant case", async () => violates(await runResource(policy, { type, props: bad }), why));
            it("is not applicable to another type", async () =>
                notApplicable(await runResource(policy, { type: "aws:ec2/vpc:Vpc", props: {} })));
        });
    }

    it("firehose-delivery-stream-encryption is not applicable to a Kinesis-sourced stream", async () =>
        notApplicable(
            await runResource(firehoseDeliveryStreamEncryption, {
                type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
                props: { destination: "extended_s3", kinesisSourceConfiguration: { kinesisStreamArn: "arn", roleArn: "r" } },
            }),
        ));

    describe("glue-encryption", () => {
        const p = glueEncryption;
        const sc = "aws:glue/securityConfiguration:SecurityConfiguration";
        const full = {
            encryptionConfiguration: {
                s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: KEY },
                cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: KEY },
                jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: KEY },
            },
        };
        it("passes a complete security configuration", async () => compliant(await runResource(p, { type: sc, props: full })));
        it("fails disabled S3, CloudWatch and bookmark encryption", async () =>
            violates(
                await runResource(p, {
                    type: sc,
                    props: {
                        encryptionConfiguration: {
                            s3Encryption: { s3EncryptionMode: "DISABLED" },
                            cloudwatchEncryption: { cloudwatchEncryptionMode: "DISABLED" },
                            jobBookmarksEncryption: { jobBookmarksEncryptionMode: "DISABLED" },
                        },
                    },
                }),
                /s3EncryptionMode/,
                /cloudwatchEncryptionMode/,
                /jobBookmarksEncryptionMode/,
            ));
        it("passes an encrypted Data Catalog", async () =>
            compliant(
                await runResource(p, {
                    type: "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
                    props: {
                        dataCatalogEncryptionSettings: {
                            encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: KEY },
                            connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: KEY },
                        },
                    },
                }),
            ));
        it("fails an unencrypted Data Catalog", async () =>
            violates(
                await runResource(p, {
                    type: "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
                    props: {
                        dataCatalogEncryptionSettings: {
                            encryptionAtRest: { catalogEncryptionMode: "DISABLED" },
                            connectionPasswordEncryption: { returnConnectionPasswordEncrypted: false },
                        },
                    },
                }),
                /catalogEncryptionMode/,
                /plaintext/,
            ));
        it("fails a job without a security configuration", async () =>
            violates(
                await runResource(p, { type: "aws:glue/job:Job", props: { roleArn: "r", command: { scriptLocation: "s3://x" } } }),
                /securityConfiguration/,
            ));
        it("passes a crawler with a security configuration", async () =>
            compliant(
                await runResource(p, {
                    type: "aws:glue/crawler:Crawler",
                    props: { role: "r", databaseName: "d", securityConfiguration: "sc" },
                }),
            ));
        it("is not applicable to other types", async () => notApplicable(await runResource(p, { type: "aws:sqs/queue:Queue", props: {} })));
    });
});
