// Deterministic answers for resources and provider calls: ids and ARNs derived from the URN, plausible lookups.
import * as crypto from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { PolicyDocumentArgs, renderPolicyDocument } from "./policyDocument";

export const MOCK_ACCOUNT_ID = "123456789012";

/** Why a plan stops at a provider function the engine does not model. */
export const UNMODELED = (token: string) =>
    `the offline engine does not model the provider function ${token}: add what it returns to engine/mocks.ts (call)`;

function hash(text: string, length = 8): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** `length` hex characters derived from `seed` (random strings and passwords). */
function resultOfLength(seed: string, length: number): string {
    let out = "mock"; // recognisable in a leak check
    for (let i = 0; out.length < length; i++) out += hash(`${seed}#${i}`, 64);
    return out.slice(0, length);
}

/** A UUID-shaped id derived from `seed` (KMS key ids look like this). */
function uuidFrom(seed: string): string {
    const h = hash(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

// EC2 ids carry a type prefix; recognisable ids make the plan easier to read.
const EC2_ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/instance:Instance": "i",
};

/**
 * The ids and id-like parts the mocks derive from a resource's type and name alone (AWS assigns them at create), in a
 * fixed order, so a plan diff can map a resource moved by alias back to the ids it keeps in state.
 */
export function mockAssignedIds(type: string, name: string): string[] {
    const seed = `${type}::${name}`;
    return [
        ...[8, 7, 6].map((length) => `${name}-${hash(seed, length)}`),
        ...(EC2_ID_PREFIX[type] ? [`${EC2_ID_PREFIX[type]}-${hash(seed, 17)}`] : []),
        uuidFrom(seed),
    ];
}

export class PlatformMocks implements pulumi.runtime.Mocks {
    /**
     * Physical names the provider makes (autonamed, from a `namePrefix`, or Terraform's own default such as an RDS
     * cluster's `tf-…`), keyed `type::name`: the engine decides them (engine/naming.ts) and the mocks report them as
     * the resource's output, as the provider does.
     */
    readonly physicalNames = new Map<string, { property: string; name: string }>();

    constructor(private readonly homeRegion: string) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const { type, name, inputs } = args;
        const region = typeof inputs.region === "string" ? inputs.region : this.homeRegion;
        // Type and name identify a resource in this program (URNs add the parent chain, which mocks are not told).
        const seed = `${type}::${name}`;
        // The physical name: the program's or the autonamer's (an input by now), else one made at create. Undefined
        // only while the program's own name is not known yet (a preview); ids then fall back to the resource name.
        const physical = (property = "name"): string | undefined => {
            const value = inputs[property] ?? this.physicalNames.get(seed)?.name;
            return typeof value === "string" ? value : undefined;
        };
        // Only what the provider would compute: outside preview the SDK resolves every output the state leaves out
        // from the resource's own input, so echoing the inputs back would only serialize them twice more.
        const state: Record<string, unknown> = {};
        const [pkg, moduleAndKind] = type.split(":");
        const service = (moduleAndKind ?? "").split("/")[0];
        const kind = ((moduleAndKind ?? "").split("/")[1] ?? "resource").toLowerCase();
        let id = EC2_ID_PREFIX[type] ? `${EC2_ID_PREFIX[type]}-${hash(seed, 17)}` : `${name}-${hash(seed)}`;
        let arn = `arn:aws:${service}:${region}:${MOCK_ACCOUNT_ID}:${kind}/${id}`;

        switch (type) {
            case "aws:kms/key:Key":
                id = uuidFrom(seed);
                arn = `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${id}`;
                state.keyId = id;
                break;
            case "aws:kms/alias:Alias":
                id = physical() ?? `alias/${name}`;
                arn = `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:${id}`;
                break;
            case "aws:s3/bucket:Bucket":
                id = physical("bucket") ?? `${name}-${hash(seed)}`;
                arn = `arn:aws:s3:::${id}`;
                state.bucket = id;
                state.bucketRegionalDomainName = `${id}.s3.${region}.amazonaws.com`;
                break;
            case "aws:cloudwatch/logGroup:LogGroup":
                id = physical() ?? `${name}-${hash(seed)}`;
                arn = `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${id}`;
                state.name = id;
                break;
            case "aws:iam/role:Role":
            case "aws:iam/policy:Policy":
                id = physical() ?? `${name}-${hash(seed, 7)}`;
                arn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:${kind}/${id}`;
                state.name = id;
                break;
            case "aws:secretsmanager/secret:Secret":
                id = `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${physical() ?? name}-${hash(seed, 6)}`;
                arn = id;
                break;
            case "aws:rds/cluster:Cluster": {
                id = physical("clusterIdentifier") ?? name;
                arn = `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:cluster:${id}`;
                const suffix = hash(region, 12);
                state.endpoint = `${id}.cluster-${suffix}.${region}.rds.amazonaws.com`;
                state.readerEndpoint = `${id}.cluster-ro-${suffix}.${region}.rds.amazonaws.com`;
                state.clusterResourceId = `cluster-${hash(seed, 26).toUpperCase()}`;
                state.port = inputs.port ?? 5432;
                if (inputs.manageMasterUserPassword) {
                    state.masterUserSecrets = [
                        {
                            secretArn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:rds!cluster-${uuidFrom(seed)}-${hash(seed, 6)}`,
                            kmsKeyId: inputs.masterUserSecretKmsKeyId,
                            secretStatus: "active",
                        },
                    ];
                }
                break;
            }
            case "aws:rds/clusterInstance:ClusterInstance":
                id = physical("identifier") ?? name;
                arn = `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:db:${id}`;
                break;
            case "aws:elasticache/serverlessCache:ServerlessCache": {
                id = physical() ?? name;
                arn = `arn:aws:elasticache:${region}:${MOCK_ACCOUNT_ID}:serverlesscache:${id}`;
                const host = `${id}-${hash(seed, 6)}.serverless.${region.replace(/-/g, "")}.cache.amazonaws.com`;
                state.endpoints = [{ address: host, port: 6379 }];
                state.readerEndpoints = [{ address: host, port: 6380 }];
                break;
            }
            case "aws:dynamodb/table:Table":
                // Outside the engine (component tests) nothing autonames first: the same name the state gets below.
                id = physical() ?? `${name}-${hash(seed, 7)}`;
                arn = `arn:aws:dynamodb:${region}:${MOCK_ACCOUNT_ID}:table/${id}`;
                break;
            case "aws:ecr/repository:Repository":
                id = physical() ?? name;
                arn = `arn:aws:ecr:${region}:${MOCK_ACCOUNT_ID}:repository/${id}`;
                state.repositoryUrl = `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${id}`;
                break;
            case "aws:backup/vault:Vault":
                id = physical() ?? name;
                arn = `arn:aws:backup:${region}:${MOCK_ACCOUNT_ID}:backup-vault:${id}`;
                break;
            case "aws:acm/certificate:Certificate": {
                // ACM's DNS validation record depends on the domain name and the account, not on the certificate:
                // two certificates naming the same domain share one record (as in AWS).
                arn = `arn:aws:acm:${region}:${MOCK_ACCOUNT_ID}:certificate/${uuidFrom(seed)}`;
                id = arn;
                const names = [inputs.domainName, ...((inputs.subjectAlternativeNames as unknown[]) ?? [])].map(String);
                state.domainValidationOptions = [...new Set(names)].map((domainName) => ({
                    domainName,
                    resourceRecordName: `_${hash(`validation-name:${domainName}`, 32)}.${domainName}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${hash(`validation-value:${domainName}`, 32)}.acm-validations.aws.`,
                }));
                break;
            }
            case "aws:route53/zone:Zone":
                id = `Z${hash(seed, 20).toUpperCase()}`;
                arn = `arn:aws:route53:::hostedzone/${id}`;
                state.zoneId = id;
                state.nameServers = [1, 2, 3, 4].map((n) => `ns-${n}.awsdns-${hash(seed + n, 2)}.example.`);
                break;
            case "aws:lb/loadBalancer:LoadBalancer": {
                // The ARN and DNS name carry the load balancer's physical name as it is: never cut to fit.
                const lbName = physical() ?? name;
                const suffix = `app/${lbName}/${hash(seed, 16)}`;
                arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:loadbalancer/${suffix}`;
                id = arn;
                state.arnSuffix = suffix;
                state.dnsName = `${inputs.internal ? "internal-" : ""}${lbName}-${hash(seed, 10)}.${region}.elb.amazonaws.com`;
                state.zoneId = "Z32O12XQLNTSW2";
                break;
            }
            case "aws:lb/targetGroup:TargetGroup": {
                const suffix = `targetgroup/${physical() ?? name}/${hash(seed, 16)}`;
                arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:${suffix}`;
                id = arn;
                state.arnSuffix = suffix;
                break;
            }
            case "aws:lb/listener:Listener": {
                // listener/app/<load balancer name>/<load balancer id>/<listener id>
                const lbArn = typeof inputs.loadBalancerArn === "string" ? inputs.loadBalancerArn : "";
                const lbPart = lbArn.includes(":loadbalancer/") ? lbArn.split(":loadbalancer/")[1] : `app/${name}/${hash(seed, 16)}`;
                arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:listener/${lbPart}/${hash(seed, 16)}`;
                id = arn;
                break;
            }
            case "aws:cloudfront/distribution:Distribution":
                id = `E${hash(seed, 13).toUpperCase()}`;
                arn = `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/${id}`;
                state.domainName = `d${hash(seed + "domain", 13)}.cloudfront.net`;
                state.hostedZoneId = "Z2FDTNDATAQYW2"; // CloudFront's fixed alias zone
                break;
            case "aws:wafv2/webAcl:WebAcl":
                id = uuidFrom(seed);
                arn = `arn:aws:wafv2:${region}:${MOCK_ACCOUNT_ID}:${inputs.scope === "CLOUDFRONT" ? "global" : "regional"}/webacl/${physical() ?? name}/${id}`;
                break;
            case "aws:ecs/cluster:Cluster":
                id = physical() ?? name;
                arn = `arn:aws:ecs:${region}:${MOCK_ACCOUNT_ID}:cluster/${id}`;
                break;
            case "aws:sns/topic:Topic":
                arn = `arn:aws:sns:${region}:${MOCK_ACCOUNT_ID}:${physical() ?? `${name}-${hash(seed, 7)}`}`;
                id = arn;
                break;
            case "aws:sqs/queue:Queue": {
                // The provider's id for a queue is its URL.
                const queueName = physical() ?? `${name}-${hash(seed, 7)}`;
                id = `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${queueName}`;
                arn = `arn:aws:sqs:${region}:${MOCK_ACCOUNT_ID}:${queueName}`;
                state.url = id;
                state.name = queueName;
                break;
            }
            case "aws:lambda/function:Function":
                id = physical() ?? `${name}-${hash(seed, 7)}`;
                arn = `arn:aws:lambda:${region}:${MOCK_ACCOUNT_ID}:function:${id}`;
                state.invokeArn = `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
                break;
            case "aws:cloudwatch/eventBus:EventBus":
                id = physical() ?? name;
                arn = `arn:aws:events:${region}:${MOCK_ACCOUNT_ID}:event-bus/${id}`;
                break;
            case "aws:cloudwatch/eventRule:EventRule": {
                const ruleName = physical() ?? `${name}-${hash(seed, 7)}`;
                const busName =
                    typeof inputs.eventBusName === "string" && inputs.eventBusName !== "default" ? `${inputs.eventBusName}/` : "";
                id = busName ? `${inputs.eventBusName}/${ruleName}` : ruleName;
                arn = `arn:aws:events:${region}:${MOCK_ACCOUNT_ID}:rule/${busName}${ruleName}`;
                break;
            }
            case "aws:cognito/userPool:UserPool":
                id = `${region}_${hash(seed, 9).toUpperCase()}`;
                arn = `arn:aws:cognito-idp:${region}:${MOCK_ACCOUNT_ID}:userpool/${id}`;
                state.endpoint = `cognito-idp.${region}.amazonaws.com/${id}`;
                break;
            case "aws:cognito/userPoolClient:UserPoolClient":
                id = hash(seed, 26);
                break;
            case "aws:cognito/userPoolDomain:UserPoolDomain":
                id = String(inputs.domain);
                // Cognito serves a domain from a CloudFront distribution of its own.
                state.cloudfrontDistribution = `d${hash(seed + "domain", 13)}.cloudfront.net`;
                state.cloudfrontDistributionZoneId = "Z2FDTNDATAQYW2";
                break;
            case "aws:guardduty/detector:Detector":
                id = hash(seed, 32);
                arn = `arn:aws:guardduty:${region}:${MOCK_ACCOUNT_ID}:detector/${id}`;
                break;
            case "aws:iam/serviceLinkedRole:ServiceLinkedRole": {
                const service = String(inputs.awsServiceName);
                id = `AWSServiceRoleFor${service.split(".")[0].replace(/^./, (c) => c.toUpperCase())}`;
                arn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-service-role/${service}/${id}`;
                state.name = id;
                break;
            }
            case "aws:cloudtrail/trail:Trail":
                id = String(inputs.name ?? name);
                arn = `arn:aws:cloudtrail:${region}:${MOCK_ACCOUNT_ID}:trail/${id}`;
                break;
            case "aws:apigateway/restApi:RestApi":
                id = hash(seed, 10);
                arn = `arn:aws:apigateway:${region}::/restapis/${id}`;
                state.rootResourceId = hash(seed + "root", 10);
                state.executionArn = `arn:aws:execute-api:${region}:${MOCK_ACCOUNT_ID}:${id}`;
                break;
            case "aws:kinesis/stream:Stream":
                id = String(inputs.name ?? name);
                arn = `arn:aws:kinesis:${region}:${MOCK_ACCOUNT_ID}:stream/${id}`;
                id = arn; // the provider's id for a stream is its ARN
                break;
            case "aws:kinesis/streamConsumer:StreamConsumer":
                arn = `${inputs.streamArn}/consumer/${inputs.name ?? name}:${hash(seed, 10)}`;
                id = arn;
                break;
            case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
                arn = `arn:aws:firehose:${region}:${MOCK_ACCOUNT_ID}:deliverystream/${inputs.name ?? name}`;
                id = arn;
                break;
            case "aws:glue/catalogDatabase:CatalogDatabase":
                id = `${MOCK_ACCOUNT_ID}:${inputs.name ?? name}`;
                arn = `arn:aws:glue:${region}:${MOCK_ACCOUNT_ID}:database/${inputs.name ?? name}`;
                break;
            case "random:index/randomPassword:RandomPassword":
            case "random:index/randomString:RandomString":
                // Exactly the requested length (required by the provider): never shortened or padded to a default.
                state.result = resultOfLength(seed, Number(inputs.length));
                break;
        }
        if (pkg === "aws" && inputs.arn === undefined && state.arn === undefined) state.arn = arn;
        // Types the naming rules do not cover keep a generic "<name>-<suffix>" (covered ones have their name as an
        // input by now, or in physicalNames when it is made at create).
        const made = this.physicalNames.get(seed);
        if (made && state[made.property] === undefined) state[made.property] = made.name;
        if (pkg === "aws" && !made && inputs.name === undefined && state.name === undefined) state.name = `${name}-${hash(seed, 7)}`;
        if (type === "aws:ec2/vpc:Vpc") {
            state.defaultSecurityGroupId = `sg-${hash(seed + "default", 17)}`;
            state.mainRouteTableId = `rtb-${hash(seed + "main", 17)}`;
            state.defaultNetworkAclId = `acl-${hash(seed + "acl", 17)}`;
        }
        state.id = id;
        return { id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const inputs = args.inputs as Record<string, unknown>;
        const region = typeof inputs.region === "string" ? inputs.region : this.homeRegion;
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: MOCK_ACCOUNT_ID,
                    arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/plan`,
                    userId: "AIDAPLANOFFLINE",
                    id: MOCK_ACCOUNT_ID,
                };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
            case "aws:index/getRegion:getRegion":
                return { name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region, id: region };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const letters = ["a", "b", "c", "d", "e", "f"];
                return {
                    id: region,
                    names: letters.map((l) => `${region}${l}`),
                    zoneIds: letters.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                    groupNames: letters.map(() => region),
                };
            }
            case "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
                const name = String(inputs.name ?? "prefix-list");
                return {
                    id: `pl-${hash(name + region)}`,
                    name,
                    maxEntries: name.includes("cloudfront") ? 55 : 10,
                    addressFamily: "IPv4",
                    entries: [],
                };
            }
            case "aws:ec2/getSecurityGroup:getSecurityGroup": {
                const groupName = String(inputs.name ?? "group");
                return {
                    id: `sg-${hash(`${groupName}${inputs.vpcId ?? ""}`, 17)}`,
                    name: groupName,
                    vpcId: inputs.vpcId,
                    arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:security-group/${groupName}`,
                };
            }
            case "aws:elb/getServiceAccount:getServiceAccount": {
                // The regional Elastic Load Balancing accounts that deliver ALB logs in pre-August-2022 regions.
                const accounts: Record<string, string> = {
                    "us-east-1": "127311923021",
                    "us-west-2": "797873946194",
                    "eu-west-1": "156460612806",
                    "eu-central-1": "054676820928",
                };
                const account = accounts[region] ?? "000000000000";
                return { id: account, arn: `arn:aws:iam::${account}:root` };
            }
            case "aws:iam/getPolicyDocument:getPolicyDocument":
                return { ...inputs, ...renderPolicyDocument(inputs as PolicyDocumentArgs) };
            default:
                // Echoing the inputs would leave every computed result undefined: a program that builds a policy, an id
                // or an ARN from a provider function the engine does not model would plan with holes AWS never has.
                throw Object.assign(new Error(UNMODELED(args.token)), { details: UNMODELED(args.token) }); // the SDK reports `details`
        }
    }
}
