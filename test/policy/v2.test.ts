// Pack v2: public exposure, every data store, audit/edge services, account switches, admin ports, IMDSv2 launch
// paths, IAM breadth, plaintext secrets, HTTP listener rules — and one finding per defect.
import * as assert from "assert";
import { runResource, runStack, messages, UNKNOWN } from "./harness";
import { compliant, violates, notApplicable, deferred } from "./assert";
import { resourcePolicyNotPublic } from "../../policy/policies/resource-policy-not-public";
import { s3BucketAclNotPublic } from "../../policy/policies/s3-bucket-acl-not-public";
import { snapshotNotPublic } from "../../policy/policies/snapshot-not-public";
import { iamRoleTrustRestricted } from "../../policy/policies/iam-role-trust-restricted";
import { dataStoreEncryption } from "../../policy/policies/data-store-encryption";
import { dataStoreNotPublic } from "../../policy/policies/data-store-not-public";
import { dataStoreCustomerManagedKey } from "../../policy/policies/data-store-customer-managed-key";
import { dataStorePrivateSubnets } from "../../policy/policies/data-store-private-subnets";
import { cloudtrailTrailSecure } from "../../policy/policies/cloudtrail-trail-secure";
import { apigatewayStageLoggingEncryption } from "../../policy/policies/apigateway-stage-logging-encryption";
import { apigatewayRestStageProtected } from "../../policy/policies/apigateway-rest-stage-protected";
import { albListenerRuleHttpsOnly } from "../../policy/policies/alb-listener-rule-https-only";
import { albHttpsModernTls } from "../../policy/policies/alb-https-modern-tls";
import { lambdaNoPlaintextSecrets } from "../../policy/policies/lambda-no-plaintext-secrets";
import { ecsTaskNoPlaintextSecrets } from "../../policy/policies/ecs-task-no-plaintext-secrets";
import { ec2NoPublicAdminIngress } from "../../policy/policies/ec2-no-public-admin-ingress";
import { ec2Imdsv2Required } from "../../policy/policies/ec2-imdsv2-required";
import { ebsEncryption } from "../../policy/policies/ebs-encryption";
import { iamNoWildcardAdmin } from "../../policy/policies/iam-no-wildcard-admin";
import { cloudwatchLogGroupEncryption } from "../../policy/policies/cloudwatch-log-group-encryption";
import { sqsQueueEncryption } from "../../policy/policies/sqs-queue-encryption";
import { snsTopicEncryption } from "../../policy/policies/sns-topic-encryption";
import { cloudfrontWafAttached } from "../../policy/policies/cloudfront-waf-attached";
import { s3BucketPublicAccessBlock } from "../../policy/policies/s3-bucket-public-access-block";

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const KEY = "aws:kms/key:Key";

describe("policy pack v2", () => {
    describe("resource-policy-not-public", () => {
        const p = resourcePolicyNotPublic;
        const cases: [string, string][] = [
            ["aws:s3/bucketPolicy:BucketPolicy", "policy"],
            ["aws:sns/topicPolicy:TopicPolicy", "policy"],
            ["aws:sqs/queuePolicy:QueuePolicy", "policy"],
            ["aws:kms/key:Key", "policy"],
            ["aws:kms/keyPolicy:KeyPolicy", "policy"],
            ["aws:secretsmanager/secretPolicy:SecretPolicy", "policy"],
            ["aws:ecr/repositoryPolicy:RepositoryPolicy", "policy"],
            ["aws:sns/topic:Topic", "policy"],
            ["aws:sqs/queue:Queue", "policy"],
            ["aws:opensearch/domain:Domain", "accessPolicies"],
            ["aws:cloudwatch/eventBusPolicy:EventBusPolicy", "policy"],
        ];
        for (const [type, input] of cases) {
            it(`fails ${type} allowing "*" without a condition`, async () =>
                violates(
                    await runResource(p, {
                        type,
                        props: { [input]: doc({ Effect: "Allow", Principal: "*", Action: "x:Get", Resource: "*" }) },
                    }),
                    /any principal/,
                ));
        }
        it('fails { AWS: "*" } and NotPrincipal with Allow', async () => {
            violates(
                await runResource(p, {
                    type: cases[0][0],
                    props: {
                        policy: doc({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*" }),
                    },
                }),
                /s3:PutObject/,
                /s3-bucket-public-write-prohibited/,
            );
            violates(
                await runResource(p, {
                    type: cases[0][0],
                    props: {
                        policy: doc({
                            Effect: "Allow",
                            NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" },
                            Action: "s3:GetObject",
                            Resource: "*",
                        }),
                    },
                }),
                /NotPrincipal/,
            );
        });
        it("fails a wildcard pinning value and a negated operator", async () => {
            violates(
                await runResource(p, {
                    type: KEY,
                    props: {
                        policy: doc({
                            Effect: "Allow",
                            Principal: "*",
                            Action: "kms:Decrypt",
                            Resource: "*",
                            Condition: { StringLike: { "aws:SourceAccount": "*" } },
                        }),
                    },
                }),
                /kms-key-policy-no-public-access/,
            );
            violates(
                await runResource(p, {
                    type: KEY,
                    props: {
                        policy: doc({
                            Effect: "Allow",
                            Principal: "*",
                            Action: "kms:Decrypt",
                            Resource: "*",
                            Condition: { StringNotEquals: { "aws:SourceAccount": "111122223333" } },
                        }),
                    },
                }),
                /any principal/,
            );
        });
        it('passes "*" pinned to an account, org, source ARN or VPC endpoint', async () => {
            for (const c of [
                { StringEquals: { "aws:SourceAccount": "111122223333" } },
                { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
                { ArnLike: { "aws:SourceArn": "arn:aws:events:eu-west-1:111122223333:rule/x" } },
                { StringEquals: { "aws:SourceVpce": "vpce-1" } },
                { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
            ]) {
                compliant(
                    await runResource(p, {
                        type: cases[2][0],
                        props: { policy: doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: c }) },
                    }),
                );
            }
        });
        it("passes named principals, service principals and Deny statements", async () =>
            compliant(
                await runResource(p, {
                    type: cases[0][0],
                    props: {
                        policy: doc(
                            {
                                Effect: "Allow",
                                Principal: { AWS: "arn:aws:iam::111122223333:role/x" },
                                Action: "s3:GetObject",
                                Resource: "*",
                            },
                            {
                                Effect: "Allow",
                                Principal: { Service: "logging.s3.amazonaws.com" },
                                Action: "s3:PutObject",
                                Resource: "*",
                                Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
                            },
                            {
                                Effect: "Deny",
                                Principal: "*",
                                Action: "s3:*",
                                Resource: "*",
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ),
                    },
                }),
            ));
        it("passes a resource without a policy", async () =>
            compliant(await runResource(p, { type: "aws:sns/topic:Topic", props: { name: "t" } })));
        it("fails a secret policy that disables Secrets Manager's public-policy check", async () =>
            violates(
                await runResource(p, {
                    type: "aws:secretsmanager/secretPolicy:SecretPolicy",
                    props: { secretArn: "a", policy: doc(), blockPublicPolicy: false },
                }),
                /blockPublicPolicy/,
            ));
        it("defers a document not known at preview", async () =>
            deferred(await runResource(p, { type: cases[0][0], props: { bucket: "b", policy: UNKNOWN } })));
        it("is not applicable elsewhere", async () => notApplicable(await runResource(p, { type: "aws:ec2/vpc:Vpc", props: {} })));
    });

    describe("s3-bucket-acl-not-public", () => {
        const p = s3BucketAclNotPublic;
        it("fails public canned ACLs on BucketAcl, Bucket and objects", async () => {
            violates(
                await runResource(p, { type: "aws:s3/bucketAcl:BucketAcl", props: { bucket: "b", acl: "public-read" } }),
                /public-read/,
            );
            violates(await runResource(p, { type: "aws:s3/bucket:Bucket", props: { acl: "authenticated-read" } }), /every AWS account/);
            violates(
                await runResource(p, {
                    type: "aws:s3/bucketObjectv2:BucketObjectv2",
                    props: { bucket: "b", key: "k", acl: "public-read-write" },
                }),
                /object acl/,
            );
        });
        it("fails grants to AllUsers and AuthenticatedUsers", async () =>
            violates(
                await runResource(p, {
                    type: "aws:s3/bucketAcl:BucketAcl",
                    props: {
                        bucket: "b",
                        accessControlPolicy: {
                            owner: { id: "o" },
                            grants: [
                                { permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" } },
                            ],
                        },
                    },
                }),
                /READ to AllUsers/,
            ));
        it("passes private ACLs and log-delivery grants", async () => {
            compliant(await runResource(p, { type: "aws:s3/bucketAcl:BucketAcl", props: { bucket: "b", acl: "private" } }));
            compliant(await runResource(p, { type: "aws:s3/bucketAcl:BucketAcl", props: { bucket: "b", acl: "log-delivery-write" } }));
        });
        it("is not applicable elsewhere", async () => notApplicable(await runResource(p, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("snapshot-not-public", () => {
        const p = snapshotNotPublic;
        it("fails RDS snapshots shared with all", async () => {
            violates(
                await runResource(p, {
                    type: "aws:rds/snapshot:Snapshot",
                    props: { dbInstanceIdentifier: "db", dbSnapshotIdentifier: "s", sharedAccounts: ["all"] },
                }),
                /rds-snapshots-public-prohibited/,
            );
            violates(
                await runResource(p, {
                    type: "aws:rds/clusterSnapshot:ClusterSnapshot",
                    props: { dbClusterIdentifier: "c", dbClusterSnapshotIdentifier: "s", sharedAccounts: ["111122223333", "all"] },
                }),
                /cluster snapshot/,
            );
        });
        it("fails public EBS volume permissions, public AMIs and unblocked snapshot sharing", async () => {
            violates(
                await runResource(p, {
                    type: "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
                    props: { snapshotId: "snap-1", accountId: "all" },
                }),
                /ebs-snapshot-public-restorable-check/,
            );
            violates(
                await runResource(p, {
                    type: "aws:ec2/amiLaunchPermission:AmiLaunchPermission",
                    props: { imageId: "ami-1", group: "all" },
                }),
                /image is public/,
            );
            violates(
                await runResource(p, {
                    type: "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
                    props: { state: "unblocked" },
                }),
                /"unblocked"/,
            );
        });
        it("passes sharing with named accounts and blocked sharing", async () => {
            compliant(
                await runResource(p, {
                    type: "aws:rds/snapshot:Snapshot",
                    props: { dbInstanceIdentifier: "db", dbSnapshotIdentifier: "s", sharedAccounts: ["111122223333"] },
                }),
            );
            compliant(
                await runResource(p, {
                    type: "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
                    props: { state: "block-all-sharing" },
                }),
            );
        });
        it("is not applicable elsewhere", async () => notApplicable(await runResource(p, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("iam-role-trust-restricted", () => {
        const p = iamRoleTrustRestricted;
        const role = (st: unknown) => ({ type: "aws:iam/role:Role", props: { assumeRolePolicy: doc(st) } });
        it("fails a trust policy any principal may assume", async () =>
            violates(await runResource(p, role({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" })), /any principal/));
        it("fails an OIDC trust without aud/sub conditions", async () =>
            violates(
                await runResource(
                    p,
                    role({
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                    }),
                ),
                /aud or sub/,
            ));
        it("passes service, account and pinned OIDC trust", async () => {
            compliant(
                await runResource(
                    p,
                    role({
                        Effect: "Allow",
                        Principal: { Service: "ecs-tasks.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
                    }),
                ),
            );
            compliant(
                await runResource(
                    p,
                    role({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" }),
                ),
            );
            compliant(
                await runResource(
                    p,
                    role({
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:org/repo:*" } },
                    }),
                ),
            );
        });
        it("is not applicable elsewhere", async () => notApplicable(await runResource(p, { type: "aws:iam/policy:Policy", props: {} })));
    });

    describe("data-store-encryption", () => {
        const p = dataStoreEncryption;
        it("fails each store's missing at-rest encryption", async () => {
            violates(await runResource(p, { type: "aws:efs/fileSystem:FileSystem", props: {} }), /efs-encrypted-check/);
            violates(await runResource(p, { type: "aws:docdb/cluster:Cluster", props: {} }), /docdb-cluster-encrypted/);
            violates(
                await runResource(p, { type: "aws:neptune/cluster:Cluster", props: { storageEncrypted: false } }),
                /neptune-cluster-encrypted/,
            );
            violates(
                await runResource(p, {
                    type: "aws:redshift/cluster:Cluster",
                    props: { clusterIdentifier: "w", nodeType: "ra3.xlplus", encrypted: "false" },
                }),
                /redshift-cluster-configuration-check/,
            );
            violates(
                await runResource(p, { type: "aws:dax/cluster:Cluster", props: { clusterEndpointEncryptionType: "TLS" } }),
                /dax-encryption-enabled/,
            );
        });
        it("fails plaintext transport", async () => {
            violates(
                await runResource(p, {
                    type: "aws:msk/cluster:Cluster",
                    props: { encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT", inCluster: false } } },
                }),
                /TLS_PLAINTEXT/,
                /msk-in-cluster-node-require-tls/,
            );
            violates(
                await runResource(p, { type: "aws:dax/cluster:Cluster", props: { serverSideEncryption: { enabled: true } } }),
                /dax-tls-endpoint-encryption/,
            );
            violates(await runResource(p, { type: "aws:memorydb/cluster:Cluster", props: { tlsEnabled: false } }), /tlsEnabled is false/);
        });
        it("fails OpenSearch without at-rest, node-to-node or TLS 1.2 HTTPS", async () =>
            violates(
                await runResource(p, {
                    type: "aws:opensearch/domain:Domain",
                    props: { domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } },
                }),
                /opensearch-encrypted-at-rest/,
                /opensearch-node-to-node-encryption-check/,
                /enforceHttps is false/,
                /TLS-1-0/,
            ));
        it("passes fully encrypted stores and provider defaults that encrypt", async () => {
            compliant(
                await runResource(p, {
                    type: "aws:opensearch/domain:Domain",
                    props: {
                        encryptAtRest: { enabled: true, kmsKeyId: UNKNOWN },
                        nodeToNodeEncryption: { enabled: true },
                        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
                    },
                }),
            );
            compliant(await runResource(p, { type: "aws:msk/cluster:Cluster", props: {} }));
            compliant(
                await runResource(p, { type: "aws:redshift/cluster:Cluster", props: { clusterIdentifier: "w", nodeType: "ra3.xlplus" } }),
            );
            compliant(await runResource(p, { type: "aws:memorydb/cluster:Cluster", props: {} }));
            compliant(await runResource(p, { type: "aws:efs/fileSystem:FileSystem", props: { encrypted: true } }));
        });
        it("judges a set-but-unknown flag at the update", async () =>
            compliant(await runResource(p, { type: "aws:efs/fileSystem:FileSystem", props: { encrypted: UNKNOWN } })));
        it("is not applicable elsewhere", async () => notApplicable(await runResource(p, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("data-store-not-public", () => {
        const p = dataStoreNotPublic;
        it("fails a public OpenSearch domain, MSK public access and a public Neptune instance", async () => {
            violates(await runResource(p, { type: "aws:opensearch/domain:Domain", props: {} }), /opensearch-in-vpc-only/);
            violates(
                await runResource(p, {
                    type: "aws:msk/cluster:Cluster",
                    props: { brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } } } },
                }),
                /SERVICE_PROVIDED_EIPS/,
            );
            violates(
                await runResource(p, { type: "aws:neptune/clusterInstance:ClusterInstance", props: { publiclyAccessible: true } }),
                /publiclyAccessible/,
            );
        });
        it("passes VPC domains and private clusters", async () => {
            compliant(await runResource(p, { type: "aws:opensearch/domain:Domain", props: { vpcOptions: { subnetIds: [UNKNOWN] } } }));
            compliant(
                await runResource(p, {
                    type: "aws:msk/cluster:Cluster",
                    props: { brokerNodeGroupInfo: { connectivityInfo: { publicAccess: { type: "DISABLED" } } } },
                }),
            );
        });
        it("is not applicable elsewhere", async () => notApplicable(await runResource(p, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("data-store-customer-managed-key: new stores, one finding per defect", () => {
        const p = dataStoreCustomerManagedKey;
        const key = { type: KEY, name: "k", props: { enableKeyRotation: true } };
        it("requires the stack's key on new stores", async () => {
            violates(
                await runStack(p, [{ type: "aws:efs/fileSystem:FileSystem", name: "fs", props: { encrypted: true } }]),
                /fs: kmsKeyId/,
            );
            violates(await runStack(p, [{ type: "aws:backup/vault:Vault", name: "v", props: {} }]), /v: kmsKeyArn/);
            violates(
                await runStack(p, [
                    {
                        type: "aws:ecr/repository:Repository",
                        name: "r",
                        props: { encryptionConfigurations: [{ encryptionType: "AES256" }] },
                    },
                ]),
                /r: encryptionConfigurations/,
            );
            violates(await runStack(p, [{ type: "aws:timestreamwrite/database:Database", name: "ts", props: {} }]), /ts: kmsKeyId/);
            violates(await runStack(p, [{ type: "aws:kinesis/videoStream:VideoStream", name: "kv", props: {} }]), /kv: kmsKeyId/);
            violates(await runStack(p, [{ type: "aws:msk/cluster:Cluster", name: "m", props: {} }]), /encryptionAtRestKmsKeyArn/);
            violates(
                await runStack(
                    p,
                    [
                        {
                            type: "aws:rds/cluster:Cluster",
                            name: "db",
                            props: { storageEncrypted: true, kmsKeyId: UNKNOWN, manageMasterUserPassword: true },
                        },
                        key,
                    ].map((r) => (r.name === "db" ? { ...r, deps: { kmsKeyId: ["k"] } } : r)),
                ),
                /masterUserSecretKmsKeyId/,
            );
        });
        it("passes stores on the stack's key", async () =>
            compliant(
                await runStack(p, [
                    key,
                    {
                        type: "aws:efs/fileSystem:FileSystem",
                        name: "fs",
                        props: { encrypted: true, kmsKeyId: UNKNOWN },
                        deps: { kmsKeyId: ["k"] },
                    },
                    {
                        type: "aws:ecr/repository:Repository",
                        name: "r",
                        props: { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: UNKNOWN }] },
                        deps: { encryptionConfigurations: ["k"] },
                    },
                ]),
            ));
        it("leaves unencrypted or keyless stores to their encryption policy", async () => {
            compliant(await runStack(p, [{ type: "aws:cloudwatch/logGroup:LogGroup", name: "lg", props: {} }]));
            compliant(await runStack(p, [{ type: "aws:sqs/queue:Queue", name: "q", props: {} }]));
            compliant(await runStack(p, [{ type: "aws:sns/topic:Topic", name: "t", props: {} }]));
            compliant(await runStack(p, [{ type: "aws:efs/fileSystem:FileSystem", name: "fs", props: {} }]));
            compliant(
                await runStack(p, [{ type: "aws:ebs/volume:Volume", name: "vol", props: { availabilityZone: "eu-west-1a", size: 8 } }]),
            );
            violates(
                await runResource(cloudwatchLogGroupEncryption, { type: "aws:cloudwatch/logGroup:LogGroup", props: {} }),
                /kmsKeyId is not set/,
            );
            violates(await runResource(sqsQueueEncryption, { type: "aws:sqs/queue:Queue", props: {} }), /neither/);
            violates(
                await runStack(ebsEncryption, [
                    { type: "aws:ebs/volume:Volume", name: "vol", props: { availabilityZone: "eu-west-1a", size: 8 } },
                ]),
                /not encrypted/,
            );
        });
        it("still reports an SQS-managed queue's missing key (a different defect)", async () =>
            violates(
                await runStack(p, [{ type: "aws:sqs/queue:Queue", name: "q", props: { sqsManagedSseEnabled: true } }]),
                /q: kmsMasterKeyId/,
            ));
    });

    describe("data-store-private-subnets: new stores", () => {
        it("judges MSK client subnets and OpenSearch VPC subnets", async () => {
            const subnet = { type: "aws:ec2/subnet:Subnet", name: "pub", props: { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24" } };
            const rt = {
                type: "aws:ec2/routeTable:RouteTable",
                name: "rt",
                props: { vpcId: "vpc-1", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN }] },
                deps: { routes: ["igw"] },
            };
            const igw = { type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: { vpcId: "vpc-1" } };
            const assoc = {
                type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
                name: "a",
                props: { subnetId: UNKNOWN, routeTableId: UNKNOWN },
                deps: { subnetId: ["pub"], routeTableId: ["rt"] },
            };
            const msk = {
                type: "aws:msk/cluster:Cluster",
                name: "kafka",
                props: { brokerNodeGroupInfo: { clientSubnets: [UNKNOWN] } },
                deps: { brokerNodeGroupInfo: ["pub"] },
            };
            violates(await runStack(dataStorePrivateSubnets, [subnet, rt, igw, assoc, msk]), /pub/);
        });
    });

    describe("cloudtrail-trail-secure", () => {
        const p = cloudtrailTrailSecure;
        it("fails a single-region, unvalidated, unencrypted trail", async () =>
            violates(
                await runResource(p, { type: "aws:cloudtrail/trail:Trail", props: { s3BucketName: "b" } }),
                /multi-region-cloudtrail-enabled/,
                /cloud-trail-log-file-validation-enabled/,
                /cloud-trail-encryption-enabled/,
            ));
        it("passes a secure trail with a key not known yet", async () =>
            compliant(
                await runResource(p, {
                    type: "aws:cloudtrail/trail:Trail",
                    props: { s3BucketName: "b", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: UNKNOWN },
                }),
            ));
        it("is not applicable elsewhere", async () => notApplicable(await runResource(p, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("API Gateway", () => {
        const p = apigatewayStageLoggingEncryption;
        it("fails stages without access logs and unencrypted method caches", async () => {
            violates(
                await runResource(p, { type: "aws:apigateway/stage:Stage", props: { restApi: "a", deployment: "d", stageName: "prod" } }),
                /accessLogSettings/,
            );
            violates(
                await runResource(p, { type: "aws:apigatewayv2/stage:Stage", props: { apiId: "a", name: "$default" } }),
                /api-gwv2-access-logs-enabled/,
            );
            violates(
                await runResource(p, {
                    type: "aws:apigateway/methodSettings:MethodSettings",
                    props: { restApi: "a", stageName: "prod", methodPath: "*/*", settings: { cachingEnabled: true } },
                }),
                /cacheDataEncrypted/,
            );
        });
        it("passes logged stages and encrypted or disabled caches", async () => {
            compliant(
                await runResource(p, {
                    type: "aws:apigateway/stage:Stage",
                    props: {
                        restApi: "a",
                        deployment: "d",
                        stageName: "prod",
                        accessLogSettings: { destinationArn: UNKNOWN, format: "$context.requestId" },
                    },
                }),
            );
            compliant(
                await runResource(p, {
                    type: "aws:apigateway/methodSettings:MethodSettings",
                    props: {
                        restApi: "a",
                        stageName: "prod",
                        methodPath: "*/*",
                        settings: { cachingEnabled: true, cacheDataEncrypted: true },
                    },
                }),
            );
            compliant(
                await runResource(p, {
                    type: "aws:apigateway/methodSettings:MethodSettings",
                    props: { restApi: "a", stageName: "prod", methodPath: "*/*", settings: { metricsEnabled: true } },
                }),
            );
        });
        it("advises a WAF or an authorizer on public REST stages", async () => {
            const api = { type: "aws:apigateway/restApi:RestApi", name: "api", props: { name: "api" } };
            const stage = {
                type: "aws:apigateway/stage:Stage",
                name: "prod",
                props: { restApi: UNKNOWN, stageName: "prod" },
                deps: { restApi: ["api"] },
            };
            const open = {
                type: "aws:apigateway/method:Method",
                name: "get",
                props: { restApi: UNKNOWN, authorization: "NONE", httpMethod: "GET", resourceId: "r" },
                deps: { restApi: ["api"] },
            };
            const r = await runStack(apigatewayRestStageProtected, [api, stage, open]);
            violates(r, /no WAF web ACL/);
            assert.ok(r.violations.every((v) => v.enforcement === "advisory"));
            compliant(
                await runStack(apigatewayRestStageProtected, [api, stage, { ...open, props: { ...open.props, authorization: "AWS_IAM" } }]),
            );
            compliant(
                await runStack(apigatewayRestStageProtected, [
                    api,
                    stage,
                    open,
                    {
                        type: "aws:wafv2/webAclAssociation:WebAclAssociation",
                        name: "waf",
                        props: { resourceArn: UNKNOWN, webAclArn: "w" },
                        deps: { resourceArn: ["prod"] },
                    },
                ]),
            );
            compliant(
                await runStack(apigatewayRestStageProtected, [
                    { ...api, props: { name: "api", endpointConfiguration: { types: ["PRIVATE"] } } },
                    stage,
                    open,
                ]),
            );
        });
    });

    describe("account-level switches", () => {
        it("fails EBS encryption by default turned off", async () =>
            violates(
                await runStack(ebsEncryption, [
                    { type: "aws:ebs/encryptionByDefault:EncryptionByDefault", name: "ebd", props: { enabled: false } },
                ]),
                /turns EBS encryption by default off/,
            ));
        it("passes EBS encryption by default on", async () =>
            compliant(
                await runStack(ebsEncryption, [
                    { type: "aws:ebs/encryptionByDefault:EncryptionByDefault", name: "ebd", props: { enabled: true } },
                ]),
            ));
    });

    describe("admin ports", () => {
        const p = ec2NoPublicAdminIngress;
        const rule = (props: Record<string, unknown>) => ({
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            props: { securityGroupId: "sg-1", ...props },
        });
        it("fails AWS Config's restricted-common-ports defaults with their control", async () => {
            for (const port of [20, 21, 3389, 3306, 4333])
                violates(
                    await runResource(p, rule({ ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0" })),
                    /restricted-common-ports/,
                );
            violates(await runResource(p, rule({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv6: "::/0" })), /restricted-ssh/);
        });
        it("maps the platform's data ports to the platform rule", async () => {
            const r = await runResource(p, rule({ ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0" }));
            violates(r, /5432 \(PostgreSQL\/Aurora PostgreSQL\) \[platform rule\]/);
            assert.ok(!messages(r).some((m) => /AWS Config/.test(m)));
        });
        it("fails all-protocol rules and rules that omit ports", async () => {
            violates(await runResource(p, rule({ ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" })), /27017/);
            violates(
                await runResource(p, {
                    type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                    props: {
                        type: "ingress",
                        protocol: "tcp",
                        fromPort: 0,
                        toPort: 65535,
                        cidrBlocks: ["0.0.0.0/0"],
                        securityGroupId: "sg",
                    },
                }),
                /4333/,
            );
        });
        it("passes 443 from the internet, and admin ports from private CIDRs or groups", async () => {
            compliant(await runResource(p, rule({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" })));
            compliant(await runResource(p, rule({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/16" })));
            compliant(await runResource(p, rule({ ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-2" })));
        });
    });

    describe("IMDSv2 on every launch path", () => {
        const p = ec2Imdsv2Required;
        const lt = (md?: Record<string, unknown>) => ({
            type: "aws:ec2/launchTemplate:LaunchTemplate",
            name: "lt",
            props: { name: "web", ...(md ? { metadataOptions: md } : {}) },
        });
        const good = { httpTokens: "required", httpPutResponseHopLimit: 1 };
        it("fails a spot instance request without IMDSv2", async () =>
            violates(
                await runStack(p, [
                    {
                        type: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
                        name: "spot",
                        props: { ami: "ami-1", instanceType: "t4g.micro" },
                    },
                ]),
                /spot instance request spot/,
            ));
        it("passes a spot instance request requiring IMDSv2", async () =>
            compliant(
                await runStack(p, [
                    {
                        type: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
                        name: "spot",
                        props: { ami: "ami-1", metadataOptions: good },
                    },
                ]),
            ));
        it("fails spot fleet launch specifications", async () =>
            violates(
                await runStack(p, [
                    {
                        type: "aws:ec2/spotFleetRequest:SpotFleetRequest",
                        name: "sf",
                        props: { launchSpecifications: [{ ami: "ami-1", instanceType: "m5.large" }] },
                    },
                ]),
                /cannot require IMDSv2/,
            ));
        it("judges spot fleets and EC2 fleets by their launch templates", async () => {
            violates(
                await runStack(p, [
                    lt({ httpTokens: "optional", httpPutResponseHopLimit: 1 }),
                    {
                        type: "aws:ec2/spotFleetRequest:SpotFleetRequest",
                        name: "sf",
                        props: { launchTemplateConfigs: [{ launchTemplateSpecification: { name: "web" } }] },
                    },
                ]),
                /spot fleet request sf \(launch template lt\)/,
            );
            violates(
                await runStack(p, [
                    lt(),
                    {
                        type: "aws:ec2/fleet:Fleet",
                        name: "fl",
                        props: { launchTemplateConfigs: [{ launchTemplateSpecification: { launchTemplateId: UNKNOWN } }] },
                        deps: { launchTemplateConfigs: ["lt"] },
                    },
                ]),
                /EC2 fleet fl/,
            );
            compliant(
                await runStack(p, [
                    lt(good),
                    {
                        type: "aws:ec2/fleet:Fleet",
                        name: "fl",
                        props: { launchTemplateConfigs: [{ launchTemplateSpecification: { launchTemplateName: "web" } }] },
                    },
                ]),
            );
        });
    });

    describe("IAM breadth", () => {
        const p = iamNoWildcardAdmin;
        const pol = (st: unknown) => ({ type: "aws:iam/policy:Policy", props: { policy: doc(st) } });
        it("fails a whole service on *, *:*, NotAction and NotResource with Allow", async () => {
            violates(await runResource(p, pol({ Effect: "Allow", Action: "s3:*", Resource: "*" })), /whole service/);
            violates(await runResource(p, pol({ Effect: "Allow", Action: "*:*", Resource: "*" })), /full administrator/);
            violates(
                await runResource(p, pol({ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" })),
                /NotAction with Allow/,
            );
            violates(
                await runResource(p, pol({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" })),
                /NotResource with Allow/,
            );
        });
        it("fails admin policies by every attachment resource", async () => {
            for (const type of [
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "aws:iam/userPolicyAttachment:UserPolicyAttachment",
                "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
                "aws:iam/policyAttachment:PolicyAttachment",
            ]) {
                violates(
                    await runResource(p, { type, props: { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } }),
                    /AdministratorAccess/,
                );
            }
            violates(
                await runResource(p, {
                    type: "aws:iam/role:Role",
                    props: { assumeRolePolicy: doc(), managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
                }),
                /managed policy/,
            );
        });
        it("passes scoped actions, * resources with specific actions, and Deny with NotAction", async () => {
            compliant(
                await runResource(
                    p,
                    pol({ Effect: "Allow", Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces"], Resource: "*" }),
                ),
            );
            compliant(await runResource(p, pol({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" })));
            compliant(await runResource(p, pol({ Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" })));
        });
    });

    describe("plaintext secrets", () => {
        const fn = (variables: Record<string, unknown>) => ({
            type: "aws:lambda/function:Function",
            props: { environment: { variables } },
        });
        it("fails credential names in Lambda environments", async () => {
            for (const name of [
                "DB_PASSWORD",
                "DB_PASS",
                "STRIPE_SECRET",
                "GITHUB_TOKEN",
                "PARTNER_API_KEY",
                "SIGNING_PRIVATE_KEY",
                "SERVICE_CREDENTIALS",
            ]) {
                violates(await runLambda(fn({ [name]: "hunter2-value" })), new RegExp(name));
            }
        });
        it("passes names that carry a URL or an ARN to a secret", async () =>
            compliant(
                await runLambda(
                    fn({
                        PASSWORD_RESET_URL: "https://shop.example.com/reset",
                        OAUTH_TOKEN_URL: "https://idp.example.com/token",
                        DB_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:x",
                        BYPASS_CACHE: "true",
                    }),
                ),
            ));
        it("fails a URL with an embedded password whatever its name", async () =>
            violates(await runLambda(fn({ DATABASE_URL: "postgres://app:s3cret@db:5432/x" })), /embedded password/));
        it("judges outputs under ordinary names at preview and defers credential-like names", async () => {
            compliant(await runLambda(fn({ TABLE_NAME: UNKNOWN, QUEUE_URL: UNKNOWN })));
            deferred(await runLambda(fn({ DB_PASSWORD: UNKNOWN })));
        });
        it("applies the same names to ECS containers", async () => {
            const td = (environment: unknown[]) => ({
                type: "aws:ecs/taskDefinition:TaskDefinition",
                props: { family: "f", containerDefinitions: JSON.stringify([{ name: "app", image: "i", environment }]) },
            });
            violates(await runResource(ecsTaskNoPlaintextSecrets, td([{ name: "DB_PASS", value: "x" }])), /DB_PASS/);
            compliant(
                await runResource(
                    ecsTaskNoPlaintextSecrets,
                    td([
                        { name: "PASSWORD_RESET_URL", value: "https://x" },
                        { name: "OAUTH_TOKEN_URL", value: "https://y" },
                        { name: "API_SECRET_ARN", value: "arn:aws:secretsmanager:x" },
                    ]),
                ),
            );
        });
        it("is not applicable elsewhere", async () => notApplicable(await runLambda({ type: "aws:sqs/queue:Queue", props: {} })));
        function runLambda(c: { type: string; props: Record<string, unknown> }) {
            return runResource(lambdaNoPlaintextSecrets, c);
        }
    });

    describe("ALB listeners", () => {
        const listener = (protocol?: string, port?: number) => ({
            type: "aws:lb/listener:Listener",
            name: "l",
            props: {
                loadBalancerArn: "a",
                ...(protocol ? { protocol } : {}),
                ...(port ? { port } : {}),
                defaultActions: [{ type: "fixed-response" }],
            },
        });
        const rule = (type: string) => ({
            type: "aws:lb/listenerRule:ListenerRule",
            name: "r",
            props: { listenerArn: UNKNOWN, actions: [{ type }] },
            deps: { listenerArn: ["l"] },
        });
        it("fails a rule that forwards on an HTTP listener", async () =>
            violates(
                await runStack(albListenerRuleHttpsOnly, [listener("HTTP", 80), rule("forward")]),
                /forwards requests on HTTP listener l/,
            ));
        it("passes forwarding on HTTPS and redirects on HTTP", async () => {
            compliant(await runStack(albListenerRuleHttpsOnly, [listener("HTTPS", 443), rule("forward")]));
            compliant(await runStack(albListenerRuleHttpsOnly, [listener("HTTP", 80), rule("redirect")]));
        });
        it("is not applicable without listener rules", async () =>
            notApplicable(await runStack(albListenerRuleHttpsOnly, [listener("HTTP", 80)])));
        it("does not judge Gateway Load Balancer listeners (no protocol, no port)", async () =>
            notApplicable(
                await runResource(albHttpsModernTls, {
                    type: "aws:lb/listener:Listener",
                    props: { loadBalancerArn: "a", defaultActions: [{ type: "forward", targetGroupArn: "t" }] },
                }),
            ));
        it("still fails an ALB listener with a port and no protocol", async () =>
            violates(
                await runResource(albHttpsModernTls, {
                    type: "aws:lb/listener:Listener",
                    props: { loadBalancerArn: "a", port: 80, defaultActions: [{ type: "forward", targetGroupArn: "t" }] },
                }),
                /defaults to HTTP/,
            ));
    });

    describe("set-but-unknown values are judged at preview", () => {
        it("treats a key that is an output of a new resource as set", async () => {
            compliant(
                await runResource(cloudwatchLogGroupEncryption, { type: "aws:cloudwatch/logGroup:LogGroup", props: { kmsKeyId: UNKNOWN } }),
            );
            compliant(await runResource(sqsQueueEncryption, { type: "aws:sqs/queue:Queue", props: { kmsMasterKeyId: UNKNOWN } }));
            compliant(await runResource(snsTopicEncryption, { type: "aws:sns/topic:Topic", props: { kmsMasterKeyId: UNKNOWN } }));
            compliant(
                await runResource(cloudfrontWafAttached, {
                    type: "aws:cloudfront/distribution:Distribution",
                    props: { webAclId: UNKNOWN },
                }),
            );
        });
        it("still fails a missing one", async () =>
            violates(await runResource(snsTopicEncryption, { type: "aws:sns/topic:Topic", props: {} }), /not set/));
    });

    describe("account public-access block", () => {
        it("fails a bucket public-access block that turns protection off", async () =>
            violates(
                await runStack(s3BucketPublicAccessBlock, [
                    { type: "aws:s3/bucket:Bucket", name: "b", props: {} },
                    {
                        type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                        name: "pab",
                        props: {
                            bucket: UNKNOWN,
                            blockPublicAcls: true,
                            blockPublicPolicy: false,
                            ignorePublicAcls: true,
                            restrictPublicBuckets: true,
                        },
                        deps: { bucket: ["b"] },
                    },
                ]),
                /blockPublicPolicy/,
            ));
    });
});

describe("policy pack v2: Firehose S3 destinations", () => {
    const p = dataStoreCustomerManagedKey;
    const stream = (s3: Record<string, unknown>, deps?: Record<string, string[]>) => ({
        type: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        name: "fh",
        props: {
            destination: "extended_s3",
            kinesisSourceConfiguration: { kinesisStreamArn: "arn:aws:kinesis:eu-west-1:1:stream/s", roleArn: "r" },
            extendedS3Configuration: { roleArn: "r", ...s3 },
        },
        ...(deps ? { deps } : {}),
    });
    it("fails a destination key that is not the stack's, and no key with a bucket outside the program", async () => {
        violates(
            await runStack(p, [stream({ bucketArn: "arn:aws:s3:::elsewhere", kmsKeyArn: "arn:aws:kms:eu-west-1:1:alias/aws/s3" })]),
            /extendedS3Configuration.kmsKeyArn — .* AWS-managed/,
        );
        violates(await runStack(p, [stream({ bucketArn: "arn:aws:s3:::elsewhere" })]), /extendedS3Configuration.kmsKeyArn — no key/);
    });
    it("passes the stack's key, or no key into a bucket the stack declares (judged on the bucket)", async () => {
        compliant(
            await runStack(p, [
                { type: KEY, name: "k", props: {} },
                stream({ bucketArn: "arn:aws:s3:::b", kmsKeyArn: UNKNOWN }, { extendedS3Configuration: ["k"] }),
            ]),
        );
        compliant(
            await runStack(p, [
                {
                    type: "aws:s3/bucket:Bucket",
                    name: "lake",
                    props: {
                        bucket: "lake",
                        serverSideEncryptionConfiguration: {
                            rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN } },
                        },
                    },
                    deps: { serverSideEncryptionConfiguration: ["k"] },
                },
                { type: KEY, name: "k", props: {} },
                stream({ bucketArn: UNKNOWN }, { extendedS3Configuration: ["lake"] }),
            ]),
        );
    });
});

describe("policy pack v2: public-access blocks turned off", () => {
    const p = s3BucketPublicAccessBlock;
    it("reports a bucket block with a protection off on the block, even for a bucket outside the program", async () => {
        const r = await runStack(p, [
            {
                type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                name: "external-pab",
                props: {
                    bucket: "someone-elses-bucket",
                    blockPublicAcls: false,
                    blockPublicPolicy: true,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                },
            },
        ]);
        violates(r, /external-pab leaves blockPublicAcls not true/);
        assert.ok(r.violations.every((v) => v.urn.endsWith("::external-pab")));
    });
    it("reports an account block with any flag off", async () =>
        violates(
            await runStack(p, [
                {
                    type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
                    name: "account",
                    props: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false },
                },
            ]),
            /account public-access block account leaves restrictPublicBuckets/,
        ));
    it("passes an account block with every flag on, which covers the buckets", async () =>
        compliant(
            await runStack(p, [
                {
                    type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
                    name: "account",
                    props: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                },
                { type: "aws:s3/bucket:Bucket", name: "b", props: {} },
            ]),
        ));
});
