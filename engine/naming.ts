// Physical names as the Pulumi AWS provider makes and checks them, per resource type, as data.
//
// Autonaming (the provider's Check): a resource whose name property the program leaves out gets
// `<resource name><separator><7 random hex>`, refused when that would exceed the autonamer's cap
// (pulumi-terraform-bridge pkg/tfbridge/info/autonaming.go ComputeAutoNameDefault, which calls
// pulumi sdk resource.NewUniqueName: "name '<prefix>' plus 7 random chars is longer than maximum length <N>",
// wrapped as "could not make instance of '<type>'"). Every resource with an input `name` string gets the generic
// rule (pulumi-aws provider/autonaming.go setAutonaming: 255, "-"); provider/resource_overrides.go and
// provider/aliases.go override it per type. A `namePrefix` conflicts with `name` (Terraform `ConflictsWith`), so the
// bridge leaves the name unset and Terraform makes it at create: prefix + a 26-character unique id
// (terraform-plugin-sdk helper/id PrefixedUniqueId; internal/create NewNameGenerator). Here the random parts are
// derived from the URN, so plans stay byte-identical.
//
// Final names (explicit or generated) are then checked against the Terraform provider's validators and the AWS
// API's documented constraints; a name either refuses fails `pulumi preview` or `pulumi up`.
import * as crypto from "crypto";

/** How the provider fills in a name the program leaves out. */
export interface Autoname {
    /** The autonamer's own cap on the whole generated name (0: none). */
    maxLength: number;
    separator: string;
    /** Random characters appended (7 hex for `AutoName`). */
    randomLength: number;
    /** Lower-case letters instead of hex (Glue databases). */
    letters?: boolean;
    /** Applied to the resource name before the random part. */
    transform?: "lower";
    /** Appended after the length check when this boolean input is true (`PostTransform`). */
    fifoSuffixWhen?: string;
    /** Prepended after the length check unless present (`PostTransform` of KMS aliases). */
    ensurePrefix?: string;
    source: string;
}

/** One final-name constraint: `test` returns the provider's or AWS API's message when the name breaks it. */
export interface NameCheck {
    test: (name: string, inputs: Record<string, unknown>) => string | undefined;
    source: string;
}

export interface NameRule {
    /** The Pulumi input property that holds the physical name. */
    property: string;
    /** null: the provider does not autoname it (Terraform's own default applies at create). */
    autoname: Autoname | null;
    /** What Terraform uses at create when neither name nor prefix is set and there is no autonaming. */
    terraformDefaultPrefix?: string;
    /**
     * The prefix property (`namePrefix`, `bucketPrefix`), and the provider's own limit on it where verified (the final
     * name's checks apply in every case).
     */
    prefix?: { property: string; limit?: { maxLength: number; message: (prefix: string) => string; source: string } };
    checks: NameCheck[];
}

/** Types without a physical name property: nothing to autoname or check. */
export const UNNAMED_TYPES: ReadonlySet<string> = new Set([
    "aws:acm/certificate:Certificate",
    "aws:acm/certificateValidation:CertificateValidation",
    // API Gateway children are addressed by their REST API, resource and HTTP method, not by a name.
    "aws:apigateway/account:Account",
    "aws:apigateway/deployment:Deployment",
    "aws:apigateway/integration:Integration",
    "aws:apigateway/integrationResponse:IntegrationResponse",
    "aws:apigateway/method:Method",
    "aws:apigateway/methodResponse:MethodResponse",
    "aws:apigateway/methodSettings:MethodSettings",
    "aws:apigateway/resource:Resource", // `pathPart` is a URL segment, required
    "aws:apigateway/usagePlanKey:UsagePlanKey",
    "aws:appautoscaling/target:Target",
    "aws:backup/regionSettings:RegionSettings",
    "aws:cloudfront/distribution:Distribution",
    "aws:cloudwatch/logDelivery:LogDelivery",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/eip:Eip",
    "aws:ec2/flowLog:FlowLog",
    "aws:ec2/instance:Instance",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/networkAcl:NetworkAcl",
    "aws:ec2/networkAclRule:NetworkAclRule",
    "aws:ec2/route:Route",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/vpc:Vpc",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    "aws:ecs/taskDefinition:TaskDefinition", // `family` is required, never generated
    "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings", // one per catalog (account and region)
    "aws:guardduty/detector:Detector", // one per account and region, identified by a generated id
    "aws:iam/serviceLinkedRole:ServiceLinkedRole", // named by AWS from `awsServiceName` (and `customSuffix`)
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:kms/key:Key",
    "aws:kms/keyPolicy:KeyPolicy",
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:lb/listener:Listener",
    "aws:lb/listenerRule:ListenerRule",
    "aws:redshiftserverless/usageLimit:UsageLimit",
    "aws:route53/record:Record", // "Do not autoname Route53 records" (resource_overrides.go): `name` is the DNS name
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketNotification:BucketNotification",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:sns/topicPolicy:TopicPolicy", // addressed by the topic's ARN
    "aws:sns/topicSubscription:TopicSubscription",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    "random:index/randomPassword:RandomPassword",
    "random:index/randomString:RandomString",
]);

/**
 * Types the provider replaces delete-before-replace whatever the name (`DeleteBeforeReplace: true` in
 * pulumi-aws provider/resource_overrides.go).
 */
export const ALWAYS_DELETE_BEFORE_REPLACE: ReadonlySet<string> = new Set([
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
    "aws:apigateway/integration:Integration",
]);

const OVERRIDES = "pulumi-aws provider/resource_overrides.go";
const GENERIC: Autoname = {
    maxLength: 255,
    separator: "-",
    randomLength: 7,
    source: 'pulumi-aws provider/autonaming.go setAutonaming(255, "-")',
};
const autoname = (maxLength: number, source: string, extra: Partial<Autoname> = {}): Autoname => ({
    maxLength,
    separator: "-",
    randomLength: 7,
    source,
    ...extra,
});

// Terraform Plugin SDK validation.StringLenBetween's wording.
function length(property: string, min: number, max: number, source: string): NameCheck {
    return {
        test: (n) =>
            n.length < min || n.length > max ? `expected length of ${property} to be in the range (${min} - ${max}), got ${n}` : undefined,
        source,
    };
}
function pattern(re: RegExp, message: (name: string) => string, source: string): NameCheck {
    return { test: (n) => (re.test(n) ? undefined : message(n)), source };
}
// The AWS API's own refusal (a ValidationException at create, i.e. `pulumi up`).
function apiLength(field: string, max: number, source: string, min = 1): NameCheck {
    return {
        test: (n) =>
            n.length > max
                ? `1 validation error detected: Value '${n}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`
                : n.length < min
                  ? `1 validation error detected: Value '${n}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`
                  : undefined,
        source,
    };
}
function apiPattern(field: string, re: RegExp, source: string): NameCheck {
    return {
        test: (n) =>
            re.test(n)
                ? undefined
                : `1 validation error detected: Value '${n}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${re.source}`,
        source,
    };
}

// terraform-provider-aws internal/service/elbv2/validate.go validName (load balancers).
const ELBV2_VALIDATE =
    "terraform-provider-aws internal/service/elbv2/validate.go; https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html";
const lbNameChecks: NameCheck[] = [
    { test: (n) => (n.length > 32 ? `"name" cannot be longer than 32 characters: "${n}"` : undefined), source: ELBV2_VALIDATE },
    {
        test: (n) => (/^[0-9A-Za-z-]+$/.test(n) ? undefined : `only alphanumeric characters and hyphens allowed in "name": "${n}"`),
        source: ELBV2_VALIDATE,
    },
    { test: (n) => (n.startsWith("-") ? `"name" cannot begin with a hyphen: "${n}"` : undefined), source: ELBV2_VALIDATE },
    { test: (n) => (n.endsWith("-") ? `"name" cannot end with a hyphen: "${n}"` : undefined), source: ELBV2_VALIDATE },
    { test: (n) => (n.startsWith("internal-") ? `"name" cannot begin with "internal-": "${n}"` : undefined), source: ELBV2_VALIDATE },
];
// validTargetGroupName: the same rules, worded without the value.
const TG_VALIDATE =
    "terraform-provider-aws internal/service/elbv2/validate.go validTargetGroupName; https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html";
const targetGroupChecks: NameCheck[] = [
    { test: (n) => (n.length > 32 ? `"name" cannot be longer than 32 characters` : undefined), source: TG_VALIDATE },
    {
        test: (n) => (/^[0-9A-Za-z-]+$/.test(n) ? undefined : `only alphanumeric characters and hyphens allowed in "name"`),
        source: TG_VALIDATE,
    },
    { test: (n) => (n.startsWith("-") ? `"name" cannot begin with a hyphen` : undefined), source: TG_VALIDATE },
    { test: (n) => (n.endsWith("-") ? `"name" cannot end with a hyphen` : undefined), source: TG_VALIDATE },
];

const S3_RULES = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html";
const bucketChecks: NameCheck[] = [
    {
        test: (n) => (n.length < 3 || n.length > 63 ? `${JSON.stringify(n)} must contain from 3 to 63 characters` : undefined),
        source: S3_RULES,
    },
    {
        test: (n) =>
            /^[0-9a-z.-]+$/.test(n)
                ? undefined
                : `only lowercase alphanumeric characters, periods and hyphens allowed in ${JSON.stringify(n)}`,
        source: S3_RULES,
    },
    {
        test: (n) =>
            /^[0-9a-z]/.test(n) && /[0-9a-z]$/.test(n)
                ? undefined
                : `${JSON.stringify(n)} must begin and end with a lowercase letter or number`,
        source: S3_RULES,
    },
    { test: (n) => (n.includes("..") ? `${JSON.stringify(n)} must not contain two adjacent periods` : undefined), source: S3_RULES },
    {
        test: (n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n) ? `${JSON.stringify(n)} must not be formatted as an IP address` : undefined),
        source: S3_RULES,
    },
    {
        test: (n) =>
            /^(xn--|sthree-|amzn-s3-demo-)/.test(n) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(n)
                ? `${JSON.stringify(n)} uses a prefix or suffix S3 reserves`
                : undefined,
        source: S3_RULES,
    },
];

const IAM_NAME =
    "terraform-provider-aws internal/service/iam validResourceName; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const RDS_ID =
    "terraform-provider-aws internal/service/rds validIdentifier; https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_Limits.html#RDS_Limits.Constraints";
const rdsIdentifierChecks = (property: string): NameCheck[] => [
    {
        test: (n) => (/^[0-9a-z-]+$/.test(n) ? undefined : `only lowercase alphanumeric characters and hyphens allowed in "${property}"`),
        source: RDS_ID,
    },
    { test: (n) => (/^[a-z]/.test(n) ? undefined : `first character of "${property}" must be a letter`), source: RDS_ID },
    { test: (n) => (n.includes("--") ? `"${property}" cannot contain two consecutive hyphens` : undefined), source: RDS_ID },
    { test: (n) => (n.endsWith("-") ? `"${property}" cannot end with a hyphen` : undefined), source: RDS_ID },
    { test: (n) => (n.length > 63 ? `"${property}" cannot be greater than 63 characters` : undefined), source: RDS_ID },
];
const RDS_PARAMS =
    "terraform-provider-aws internal/service/rds validParamGroupName; https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBClusterParameterGroup.html";
const paramGroupChecks: NameCheck[] = [
    {
        test: (n) =>
            /^[0-9a-z-]+$/.test(n) ? undefined : `only lowercase alphanumeric characters and hyphens allowed in parameter group "name"`,
        source: RDS_PARAMS,
    },
    { test: (n) => (/^[a-z]/.test(n) ? undefined : `first character of parameter group "name" must be a letter`), source: RDS_PARAMS },
    { test: (n) => (n.includes("--") ? `parameter group "name" cannot contain two consecutive hyphens` : undefined), source: RDS_PARAMS },
    { test: (n) => (n.endsWith("-") ? `parameter group "name" cannot end with a hyphen` : undefined), source: RDS_PARAMS },
    { test: (n) => (n.length > 255 ? `parameter group "name" cannot be greater than 255 characters` : undefined), source: RDS_PARAMS },
];

const sqsName = (name: string, inputs: Record<string, unknown>) => {
    const re = inputs.fifoQueue === true ? /^[0-9A-Za-z_-]{1,75}\.fifo$/ : /^[0-9A-Za-z_-]{1,80}$/;
    return re.test(name) ? undefined : `invalid queue name: ${name}`;
};
const snsName = (name: string, inputs: Record<string, unknown>) => {
    const re = inputs.fifoTopic === true ? /^[0-9A-Za-z_-]{1,251}\.fifo$/ : /^[0-9A-Za-z_-]{1,256}$/;
    return re.test(name) ? undefined : `invalid topic name: ${name}`;
};
const prefixTooLong = (max: number) => (p: string) => `"name_prefix" cannot be longer than ${max} characters: "${p}"`;
// Terraform refuses upper case in Glue database and table names (Glue would store them lower-cased: a perpetual diff).
const GLUE_NO_UPPERCASE = (file: string): NameCheck =>
    pattern(
        /^[^A-Z]*$/,
        () => "invalid value for name (uppercase characters cannot be used)",
        `terraform-provider-aws internal/service/glue/${file} (validation.StringDoesNotMatch [A-Z])`,
    );
const EVENTS_API = "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html";

/** The rules per Pulumi type token. */
export const NAME_RULES: Readonly<Record<string, NameRule>> = {
    "aws:lb/loadBalancer:LoadBalancer": {
        // No override: the generic 255 cap, so a long name is generated and then refused by validName.
        property: "name",
        autoname: GENERIC,
        prefix: {
            property: "namePrefix",
            limit: {
                maxLength: 6,
                message: prefixTooLong(6),
                source: "terraform-provider-aws internal/service/elbv2/validate.go validNamePrefix",
            },
        },
        checks: lbNameChecks,
    },
    "aws:lb/targetGroup:TargetGroup": {
        property: "name",
        autoname: autoname(32, 'pulumi-aws provider/aliases.go: AutoName("name", 32, "-")'),
        prefix: {
            property: "namePrefix",
            limit: {
                maxLength: 6,
                message: () => `"name_prefix" cannot be longer than 6 characters`,
                source: "terraform-provider-aws elbv2 validTargetGroupNamePrefix (32 - 26)",
            },
        },
        checks: targetGroupChecks,
    },
    "aws:iam/role:Role": {
        property: "name",
        autoname: autoname(64, `${OVERRIDES}: aws_iam_role AutoName("name", 64, "-")`),
        prefix: {
            property: "namePrefix",
            limit: {
                maxLength: 38,
                message: (p) => `expected length of name_prefix to be in the range (1 - 38), got ${p}`,
                source: IAM_NAME,
            },
        },
        checks: [
            length("name", 1, 64, IAM_NAME),
            pattern(/^[\w+=,.@-]*$/, () => "invalid value for name (must match [\\w+=,.@-])", IAM_NAME),
        ],
    },
    "aws:iam/rolePolicy:RolePolicy": {
        property: "name",
        autoname: GENERIC,
        prefix: { property: "namePrefix" },
        checks: [
            length("name", 1, 128, IAM_NAME),
            pattern(/^[\w+=,.@-]+$/, () => "invalid value for name (must match [\\w+=,.@-])", IAM_NAME),
        ],
    },
    "aws:iam/policy:Policy": {
        property: "name",
        autoname: GENERIC,
        prefix: { property: "namePrefix" },
        checks: [
            length("name", 1, 128, IAM_NAME),
            pattern(/^[\w+=,.@-]+$/, () => "invalid value for name (must match [\\w+=,.@-])", IAM_NAME),
        ],
    },
    "aws:lambda/function:Function": {
        property: "name",
        autoname: autoname(64, `${OVERRIDES}: aws_lambda_function AutoName("name", 64, "-")`),
        checks: [
            apiLength(
                "functionName",
                64,
                "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName: the name only, 1-64)",
            ),
            apiPattern("functionName", /^[a-zA-Z0-9_-]+$/, "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html"),
        ],
    },
    "aws:s3/bucket:Bucket": {
        property: "bucket",
        autoname: autoname(63, `${OVERRIDES}: aws_s3_bucket AutoNameTransform("bucket", 63, strings.ToLower)`, { transform: "lower" }),
        prefix: {
            property: "bucketPrefix",
            limit: {
                maxLength: 37,
                message: (p) => `expected length of bucket_prefix to be in the range (1 - 37), got ${p}`,
                source: "terraform-provider-aws internal/service/s3/bucket.go (63 - 26)",
            },
        },
        checks: bucketChecks,
    },
    "aws:sqs/queue:Queue": {
        property: "name",
        autoname: autoname(80, `${OVERRIDES}: aws_sqs_queue Maxlen 80, PostTransform ".fifo"`, { fifoSuffixWhen: "fifoQueue" }),
        prefix: { property: "namePrefix" },
        checks: [
            {
                test: sqsName,
                source: "terraform-provider-aws internal/service/sqs/queue.go resourceQueueCustomizeDiff; https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
            },
        ],
    },
    "aws:sns/topic:Topic": {
        property: "name",
        autoname: autoname(80, `${OVERRIDES}: aws_sns_topic Maxlen 80, PostTransform ".fifo"`, { fifoSuffixWhen: "fifoTopic" }),
        prefix: { property: "namePrefix" },
        checks: [
            {
                test: snsName,
                source: "terraform-provider-aws internal/service/sns/topic.go resourceTopicCustomizeDiff; https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
            },
        ],
    },
    "aws:cloudwatch/eventRule:EventRule": {
        property: "name",
        autoname: autoname(64, `${OVERRIDES}: aws_cloudwatch_event_rule AutoName("name", 64, "-")`),
        prefix: { property: "namePrefix" },
        checks: [
            length("name", 1, 64, EVENTS_API),
            pattern(
                /^[.\-_A-Za-z0-9]+$/,
                () => "invalid value for name (must contain only alphanumeric characters, periods, hyphens or underscores)",
                EVENTS_API,
            ),
        ],
    },
    "aws:cloudwatch/eventTarget:EventTarget": {
        property: "targetId",
        autoname: autoname(255, `${OVERRIDES}: aws_cloudwatch_event_target AutoName("targetId", 255, "-")`),
        checks: [length("target_id", 1, 64, "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html (Id: 1-64)")],
    },
    "aws:cloudwatch/eventBus:EventBus": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("name", 256, "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html"),
            apiPattern(
                "name",
                /^[/.\-_A-Za-z0-9]+$/,
                "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html",
            ),
        ],
    },
    "aws:cloudwatch/eventArchive:EventArchive": {
        property: "name",
        autoname: GENERIC,
        checks: [
            length("name", 1, 48, "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateArchive.html (ArchiveName: 1-48)"),
        ],
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        property: "name",
        autoname: GENERIC,
        prefix: { property: "namePrefix" },
        checks: [
            length("name", 1, 512, "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"),
            pattern(
                /^[.\-_/#A-Za-z0-9]+$/,
                (n) =>
                    `invalid value for name (must contain alphanumeric characters, underscores, hyphens, slashes, hash signs and dots only), got ${n}`,
                "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
            ),
        ],
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        property: "name",
        autoname: autoname(255, `${OVERRIDES}: aws_cloudwatch_metric_alarm AutoName("name", 255, "-")`),
        checks: [length("alarm_name", 1, 255, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html")],
    },
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("name", 60, "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliverySource.html"),
            apiPattern(
                "name",
                /^[\w-]*$/,
                "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliverySource.html",
            ),
        ],
    },
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("name", 60, "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliveryDestination.html"),
            apiPattern(
                "name",
                /^[\w-]*$/,
                "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliveryDestination.html",
            ),
        ],
    },
    "aws:dynamodb/table:Table": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("tableName", 255, "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html", 3),
            apiPattern(
                "tableName",
                /^[a-zA-Z0-9_.-]+$/,
                "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html",
            ),
        ],
    },
    "aws:ecr/repository:Repository": {
        // No lower-casing transform: an autonamed repository keeps the resource name's case, which ECR refuses.
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("repositoryName", 256, "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html", 2),
            apiPattern(
                "repositoryName",
                /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
                "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
            ),
        ],
    },
    "aws:ecs/cluster:Cluster": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("clusterName", 255, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html"),
            apiPattern(
                "clusterName",
                /^[a-zA-Z0-9_-]+$/,
                "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html",
            ),
        ],
    },
    "aws:ecs/service:Service": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("serviceName", 255, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html"),
            apiPattern(
                "serviceName",
                /^[a-zA-Z0-9_-]+$/,
                "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html",
            ),
        ],
    },
    "aws:elasticache/serverlessCache:ServerlessCache": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength(
                "serverlessCacheName",
                40,
                "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/WhatIs.corecomponents.html (cache names: 1-40 characters)",
            ),
        ],
    },
    "aws:secretsmanager/secret:Secret": {
        property: "name",
        autoname: GENERIC,
        prefix: { property: "namePrefix" },
        checks: [
            apiLength("name", 512, "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html"),
            apiPattern(
                "name",
                /^[0-9A-Za-z/_+=.@-]+$/,
                "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
            ),
        ],
    },
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 253, "https://docs.aws.amazon.com/cloud-map/latest/api/API_CreatePrivateDnsNamespace.html")],
    },
    "aws:servicediscovery/service:Service": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 127, "https://docs.aws.amazon.com/cloud-map/latest/api/API_CreateService.html")],
    },
    "aws:wafv2/webAcl:WebAcl": {
        property: "name",
        autoname: GENERIC,
        checks: [
            length("name", 1, 128, "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html"),
            pattern(
                /^[\w-]+$/,
                () => "invalid value for name (must contain only alphanumeric hyphen and underscore characters)",
                "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html",
            ),
        ],
    },
    "aws:kms/alias:Alias": {
        property: "name",
        autoname: autoname(238, `${OVERRIDES}: aws_kms_alias Maxlen 238, PostTransform "alias/"`, { ensurePrefix: "alias/" }),
        prefix: { property: "namePrefix" },
        checks: [
            length("name", 1, 256, "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html"),
            pattern(
                /^alias\/[a-zA-Z0-9/_-]+$/,
                () =>
                    "name must begin with 'alias/' and be made up of only alphanumeric characters, forward slashes, underscores and dashes",
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
            ),
            {
                test: (n) =>
                    n.startsWith("alias/aws/")
                        ? "name cannot begin with 'alias/aws/': that prefix is reserved for AWS managed keys"
                        : undefined,
                source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html",
            },
        ],
    },
    "aws:backup/vault:Vault": {
        property: "name",
        autoname: GENERIC,
        checks: [
            pattern(
                /^[a-zA-Z0-9_-]{2,50}$/,
                (n) => `invalid value for name (must be 2-50 alphanumeric, hyphen or underscore characters), got ${n}`,
                "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateBackupVault.html",
            ),
        ],
    },
    "aws:backup/plan:Plan": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("BackupPlanName", 50, "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupPlanInput.html"),
            apiPattern(
                "BackupPlanName",
                /^[a-zA-Z0-9_.-]+$/,
                "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupPlanInput.html",
            ),
        ],
    },
    "aws:backup/selection:Selection": {
        property: "name",
        autoname: GENERIC,
        checks: [
            pattern(
                /^[a-zA-Z0-9_.-]{1,50}$/,
                (n) => `invalid value for name (must be 1-50 alphanumeric, hyphen, underscore or period characters), got ${n}`,
                "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html",
            ),
        ],
    },
    "aws:cloudfront/cachePolicy:CachePolicy": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("Name", 128, "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html")],
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": {
        property: "name",
        autoname: GENERIC,
        checks: [length("name", 1, 64, "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html")],
    },
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("Name", 128, "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html")],
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        property: "name",
        autoname: GENERIC,
        prefix: { property: "namePrefix" },
        checks: [
            length("name", 0, 255, "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"),
            {
                test: (n) => (n.startsWith("sg-") ? `invalid value for name (cannot begin with sg-), got ${n}` : undefined),
                source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
            },
        ],
    },
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": {
        property: "name",
        autoname: GENERIC,
        prefix: { property: "namePrefix" },
        checks: paramGroupChecks,
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        property: "name",
        autoname: GENERIC,
        prefix: { property: "namePrefix" },
        checks: [
            pattern(
                /^[0-9a-z-_. ]+$/,
                () => `only lowercase alphanumeric characters, hyphens, underscores, periods, and spaces allowed in "name"`,
                "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
            ),
            {
                test: (n) => (n.length > 255 ? `"name" cannot be longer than 255 characters` : undefined),
                source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
            },
            {
                test: (n) => (n === "default" ? `"name" is not allowed as "default"` : undefined),
                source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
            },
        ],
    },
    "aws:rds/cluster:Cluster": {
        // Not autonamed: Terraform names an unset cluster `tf-<unique id>` at create.
        property: "clusterIdentifier",
        autoname: null,
        terraformDefaultPrefix: "tf-",
        prefix: { property: "clusterIdentifierPrefix" },
        checks: rdsIdentifierChecks("cluster_identifier"),
    },
    "aws:rds/clusterInstance:ClusterInstance": {
        property: "identifier",
        autoname: null,
        terraformDefaultPrefix: "tf-",
        prefix: { property: "identifierPrefix" },
        checks: rdsIdentifierChecks("identifier"),
    },
    "aws:appautoscaling/policy:Policy": {
        property: "name",
        autoname: GENERIC,
        checks: [length("name", 0, 255, "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html")],
    },
    "aws:glue/catalogDatabase:CatalogDatabase": {
        property: "name",
        autoname: {
            maxLength: 0,
            separator: "_",
            randomLength: 8,
            letters: true,
            transform: "lower",
            source: `${OVERRIDES}: aws_glue_catalog_database FromName(Separator "_", Charset a-z, Randlen 8, ToLower)`,
        },
        checks: [
            length(
                "name",
                1,
                255,
                "terraform-provider-aws internal/service/glue/catalog_database.go; https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html",
            ),
            GLUE_NO_UPPERCASE("catalog_database.go"),
        ],
    },
    "aws:route53/zone:Zone": {
        // Autonamed like any resource with a `name` input (only records are exempt); a zone's name is its domain.
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 1024, "https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html")],
    },
    "aws:ssm/parameter:Parameter": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("name", 2048, "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html"),
            {
                test: (n) =>
                    /^\/?(aws|ssm)/i.test(n) ? `parameter name ${n} must not begin with "aws" or "ssm" (case-insensitive)` : undefined,
                source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
            },
        ],
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        property: "name",
        autoname: GENERIC,
        prefix: { property: "namePrefix" },
        checks: [
            length("name", 3, 125, "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html"),
            pattern(
                /^[a-zA-Z0-9()./_-]+$/,
                () => "invalid value for name (must match [a-zA-Z0-9().\\/_-])",
                "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html",
            ),
        ],
    },

    // --- Clickstream, analytics, governance and identity tiers -------------------------------------------------------
    // Every type below with an input `name` gets the generic autonamer (pulumi-aws provider/autonaming.go applies it to
    // every resource whose Terraform schema has an Optional or Required `name`); resource_overrides.go overrides none of
    // them except the Glue catalog table and the S3 object's key. Types whose physical name is another property
    // (`dashboardName`, `stageName`, `namespaceName`, `workgroupName`, `domain`) are not autonamed.
    "aws:athena/namedQuery:NamedQuery": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 128, "https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateNamedQuery.html")],
    },
    "aws:athena/workgroup:Workgroup": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiPattern(
                "name",
                /^[a-zA-Z0-9._-]{1,128}$/,
                "https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html",
            ),
        ],
    },
    "aws:glue/catalogTable:CatalogTable": {
        property: "name",
        autoname: {
            maxLength: 0,
            separator: "_",
            randomLength: 8,
            letters: true,
            transform: "lower",
            source: `${OVERRIDES}: aws_glue_catalog_table FromName(Separator "_", Charset a-z, Randlen 8, ToLower)`,
        },
        checks: [
            length(
                "name",
                1,
                255,
                "terraform-provider-aws internal/service/glue/catalog_table.go; https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html",
            ),
            GLUE_NO_UPPERCASE("catalog_table.go"),
        ],
    },
    "aws:glue/crawler:Crawler": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 255, "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateCrawler.html")],
    },
    "aws:glue/securityConfiguration:SecurityConfiguration": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 255, "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateSecurityConfiguration.html")],
    },
    "aws:glue/job:Job": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 255, "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateJob.html")],
    },
    "aws:glue/trigger:Trigger": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 255, "https://docs.aws.amazon.com/glue/latest/webapi/API_CreateTrigger.html")],
    },
    "aws:s3/bucketObjectv2:BucketObjectv2": {
        // "By default, use the name as the key": FromName with no separator and no random part.
        property: "key",
        autoname: { maxLength: 0, separator: "", randomLength: 0, source: `${OVERRIDES}: aws_s3_object key FromName(Maxlen 0, Randlen 0)` },
        checks: [
            {
                test: (n) =>
                    Buffer.byteLength(n, "utf8") > 1024
                        ? `object key ${n} is longer than 1024 bytes`
                        : n.length === 0
                          ? "object key is empty"
                          : undefined,
                source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html (up to 1,024 bytes of UTF-8)",
            },
        ],
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        property: "dashboardName",
        autoname: null,
        checks: [
            apiLength("DashboardName", 255, "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html"),
            apiPattern(
                "DashboardName",
                /^[A-Za-z0-9_-]+$/,
                "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (alphanumerics, dash and underscore only)",
            ),
        ],
    },
    "aws:cloudwatch/logStream:LogStream": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength(
                "logStreamName",
                512,
                "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html",
            ),
            apiPattern(
                "logStreamName",
                /^[^:*]*$/,
                "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html",
            ),
        ],
    },
    "aws:kinesis/stream:Stream": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("streamName", 128, "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html"),
            apiPattern("streamName", /^[a-zA-Z0-9_.-]+$/, "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html"),
        ],
    },
    "aws:kinesis/streamConsumer:StreamConsumer": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength("consumerName", 128, "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html"),
            apiPattern(
                "consumerName",
                /^[a-zA-Z0-9_.-]+$/,
                "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html",
            ),
        ],
    },
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {
        property: "name",
        autoname: GENERIC,
        checks: [
            length(
                "name",
                1,
                64,
                "terraform-provider-aws internal/service/firehose/delivery_stream.go; https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
            ),
            apiPattern(
                "deliveryStreamName",
                /^[a-zA-Z0-9_.-]+$/,
                "https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html",
            ),
        ],
    },
    // API Gateway documents no length or character limit for REST API, API key, usage plan or validator names.
    "aws:apigateway/restApi:RestApi": { property: "name", autoname: GENERIC, checks: [] },
    "aws:apigateway/apiKey:ApiKey": { property: "name", autoname: GENERIC, checks: [] },
    "aws:apigateway/usagePlan:UsagePlan": { property: "name", autoname: GENERIC, checks: [] },
    "aws:apigateway/requestValidator:RequestValidator": { property: "name", autoname: GENERIC, checks: [] },
    "aws:apigateway/model:Model": {
        // An autonamed model (`<name>-<hex>`) carries a hyphen, which API Gateway refuses: name models explicitly.
        property: "name",
        autoname: GENERIC,
        checks: [
            apiPattern(
                "name",
                /^[a-zA-Z0-9]+$/,
                "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateModel.html (the model name must be alphanumeric)",
            ),
        ],
    },
    "aws:apigateway/stage:Stage": {
        property: "stageName",
        autoname: null,
        checks: [
            apiPattern(
                "stageName",
                /^[a-zA-Z0-9_-]{1,128}$/,
                "https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html (alphanumerics, hyphens and underscores, up to 128)",
            ),
        ],
    },
    "aws:budgets/budget:Budget": {
        property: "name",
        autoname: GENERIC,
        prefix: { property: "namePrefix" },
        checks: [
            apiLength("budgetName", 100, "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html"),
            apiPattern(
                "budgetName",
                /^[^:\\]+$/,
                "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html",
            ),
        ],
    },
    "aws:cloudtrail/trail:Trail": {
        property: "name",
        autoname: GENERIC,
        checks: [
            {
                test: (n) =>
                    /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/.test(n) && !/[._-]{2}/.test(n) && !/^\d+\.\d+\.\d+\.\d+$/.test(n)
                        ? undefined
                        : `trail name ${n} must be 3-128 letters, numbers, periods, underscores and dashes, begin and end with a letter or number, with no adjacent periods, underscores or dashes, and not look like an IP address`,
                source: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html",
            },
        ],
    },
    "aws:cfg/deliveryChannel:DeliveryChannel": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 256, "https://docs.aws.amazon.com/config/latest/APIReference/API_DeliveryChannel.html")],
    },
    "aws:cfg/recorder:Recorder": {
        property: "name",
        autoname: GENERIC,
        checks: [apiLength("name", 256, "https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationRecorder.html")],
    },
    "aws:cfg/recorderStatus:RecorderStatus": {
        // The recorder's name: StartConfigurationRecorder addresses the recorder by it.
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength(
                "ConfigurationRecorderName",
                256,
                "https://docs.aws.amazon.com/config/latest/APIReference/API_StartConfigurationRecorder.html",
            ),
        ],
    },
    "aws:cfg/rule:Rule": {
        property: "name",
        autoname: GENERIC,
        checks: [
            length(
                "name",
                0,
                128,
                "terraform-provider-aws internal/service/configservice/config_rule.go; https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html",
            ),
        ],
    },
    "aws:guardduty/detectorFeature:DetectorFeature": {
        // `name` is the feature, one of the API's enumeration (an autonamed value would be refused).
        property: "name",
        autoname: GENERIC,
        checks: [
            {
                test: (n) =>
                    [
                        "S3_DATA_EVENTS",
                        "EKS_AUDIT_LOGS",
                        "EBS_MALWARE_PROTECTION",
                        "RDS_LOGIN_EVENTS",
                        "EKS_RUNTIME_MONITORING",
                        "LAMBDA_NETWORK_LOGS",
                        "RUNTIME_MONITORING",
                    ].includes(n)
                        ? undefined
                        : `1 validation error detected: Value '${n}' at 'features.1.member.name' failed to satisfy constraint: Member must satisfy enum value set`,
                source: "https://docs.aws.amazon.com/guardduty/latest/APIReference/API_DetectorFeatureConfiguration.html",
            },
        ],
    },
    "aws:cognito/userPool:UserPool": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength(
                "poolName",
                128,
                "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html",
            ),
            apiPattern(
                "poolName",
                /^[\w\s+=,.@-]+$/,
                "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html",
            ),
        ],
    },
    "aws:cognito/userPoolClient:UserPoolClient": {
        property: "name",
        autoname: GENERIC,
        checks: [
            apiLength(
                "clientName",
                128,
                "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html",
            ),
            apiPattern(
                "clientName",
                /^[\w\s+=,.@-]+$/,
                "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html",
            ),
        ],
    },
    "aws:cognito/userPoolDomain:UserPoolDomain": {
        // A prefix domain (no dot) or a custom domain name (with dots, backed by a certificate).
        property: "domain",
        autoname: null,
        checks: [
            {
                test: (n) =>
                    n.includes(".")
                        ? n.length <= 63 * 4
                            ? undefined
                            : `custom domain ${n} is too long`
                        : /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(n) && !/aws|amazon|cognito/.test(n)
                          ? undefined
                          : `domain prefix ${n} must be 1-63 lowercase letters, numbers and hyphens, not begin or end with a hyphen, and not contain aws, amazon or cognito`,
                source: "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolDomain.html; https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html",
            },
        ],
    },
    "aws:redshiftserverless/namespace:Namespace": {
        property: "namespaceName",
        autoname: null,
        checks: [
            apiPattern(
                "namespaceName",
                /^[a-z0-9-]{3,64}$/,
                "https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateNamespace.html",
            ),
        ],
    },
    "aws:redshiftserverless/workgroup:Workgroup": {
        property: "workgroupName",
        autoname: null,
        checks: [
            apiPattern(
                "workgroupName",
                /^[a-z0-9-]{3,64}$/,
                "https://docs.aws.amazon.com/redshift-serverless/latest/APIReference/API_CreateWorkgroup.html",
            ),
        ],
    },
};

/** What the engine decided about one resource's physical name. */
export interface NamingDecision {
    property: string;
    /** The physical name, or undefined when it is only made at create (a prefix, or a Terraform default). */
    name?: string;
    /** How the name comes about. */
    mode: "explicit" | "autonamed" | "prefixed" | "terraform-default";
    /** True when the provider replaces this resource delete-before-replace (explicit name of an autonamed field). */
    deleteBeforeReplace: boolean;
    /** The provider's and AWS's refusals, in their words. */
    errors: string[];
}

function seeded(urn: string, salt: string): Buffer {
    return crypto.createHash("sha256").update(`${salt}\0${urn}`).digest();
}

/** `length` lowercase hex characters (or letters) derived from the URN: the deterministic stand-in for the random part. */
export function randomPart(urn: string, length: number, letters = false): string {
    const bytes = seeded(urn, "autoname");
    let out = "";
    for (let i = 0; out.length < length; i++) {
        const b = bytes[i % bytes.length] ^ Math.floor(i / bytes.length);
        out += letters ? String.fromCharCode(97 + (b % 26)) : (b % 16).toString(16);
    }
    return out;
}

/** Terraform's 26-character unique id (18-digit timestamp + 8-hex counter), derived from the URN. */
export function uniqueIdSuffix(urn: string): string {
    const bytes = seeded(urn, "unique-id");
    const digits = [...bytes.subarray(0, 18)].map((b) => String(b % 10)).join("");
    return `${digits}${bytes.subarray(18, 22).toString("hex")}`;
}

/** The autonamer: `<name><separator><random>`, refused over the cap with the provider's message. */
export function autonameFor(
    type: string,
    urn: string,
    resourceName: string,
    rule: Autoname,
    inputs: Record<string, unknown>,
): { name?: string; error?: string } {
    const base = rule.transform === "lower" ? resourceName.toLowerCase() : resourceName;
    const prefix = base + rule.separator;
    if (rule.maxLength > 0 && prefix.length + rule.randomLength > rule.maxLength) {
        return {
            error: `could not make instance of '${type}': name '${prefix}' plus ${rule.randomLength} random chars is longer than maximum length ${rule.maxLength}`,
        };
    }
    let name = prefix + randomPart(urn, rule.randomLength, rule.letters);
    if (rule.fifoSuffixWhen && inputs[rule.fifoSuffixWhen] === true) name += ".fifo";
    if (rule.ensurePrefix && !name.startsWith(rule.ensurePrefix)) name = rule.ensurePrefix + name;
    return { name };
}

/**
 * Decides the physical name of one resource from its type, URN, resource name and inputs (plain values), or returns
 * undefined for types this module does not cover (the engine then keeps its generic behaviour).
 */
export function decideName(type: string, urn: string, resourceName: string, inputs: Record<string, unknown>): NamingDecision | undefined {
    const rule = NAME_RULES[type];
    if (!rule) return undefined;
    const errors: string[] = [];
    const explicit = inputs[rule.property];
    const prefixValue = rule.prefix ? inputs[rule.prefix.property] : undefined;
    let decision: NamingDecision;
    if (typeof explicit === "string") {
        decision = { property: rule.property, name: explicit, mode: "explicit", deleteBeforeReplace: rule.autoname !== null, errors };
    } else if (explicit !== undefined) {
        // Unknown until apply (an output of another resource): nothing to check yet.
        return { property: rule.property, mode: "explicit", deleteBeforeReplace: rule.autoname !== null, errors };
    } else if (prefixValue !== undefined && rule.prefix && typeof prefixValue !== "string") {
        return { property: rule.property, mode: "prefixed", deleteBeforeReplace: false, errors };
    } else if (typeof prefixValue === "string" && rule.prefix) {
        const limit = rule.prefix.limit;
        if (limit && prefixValue.length > limit.maxLength) errors.push(limit.message(prefixValue));
        let name = prefixValue + uniqueIdSuffix(urn);
        if (rule.autoname?.fifoSuffixWhen && inputs[rule.autoname.fifoSuffixWhen] === true) name += ".fifo";
        decision = { property: rule.property, name, mode: "prefixed", deleteBeforeReplace: false, errors };
    } else if (rule.autoname) {
        const made = autonameFor(type, urn, resourceName, rule.autoname, inputs);
        if (made.error) return { property: rule.property, mode: "autonamed", deleteBeforeReplace: false, errors: [made.error] };
        decision = { property: rule.property, name: made.name, mode: "autonamed", deleteBeforeReplace: false, errors };
    } else {
        decision = {
            property: rule.property,
            name: `${rule.terraformDefaultPrefix ?? "terraform-"}${uniqueIdSuffix(urn)}`,
            mode: "terraform-default",
            deleteBeforeReplace: false,
            errors,
        };
    }
    if (ALWAYS_DELETE_BEFORE_REPLACE.has(type)) decision.deleteBeforeReplace = true;
    for (const check of rule.checks) {
        const message = check.test(decision.name!, inputs);
        if (message) errors.push(message);
    }
    return decision;
}
