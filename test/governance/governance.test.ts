import * as assert from "assert";
import { CONFIG_RULES } from "../../stacks/governance";
import { mockedIdentity, ofType, planOf, PlanJson, PlanResource } from "../support/plan";
import { variantPlan } from "../support/ingress";

const ACCOUNT = "123456789012";
const named = (plan: PlanJson, name: string, type?: string): PlanResource => {
    const found = plan.resources.filter((r) => r.name === name && r.custom && (!type || r.type === type));
    assert.strictEqual(found.length, 1, `one resource named ${name}`);
    return found[0];
};
const RULE = "aws:cloudwatch/eventRule:EventRule";
const dependsOnNames = (r: PlanResource) => (r.options?.dependsOn ?? []).map((u) => u.split("::").pop());
const statements = (r: PlanResource): any[] => JSON.parse(r.inputs.policy).Statement;
const bySid = (r: PlanResource, sid: string) => {
    const s = statements(r).filter((x) => x.Sid === sid);
    assert.strictEqual(s.length, 1, `one statement ${sid} in ${r.name}`);
    return s[0];
};
const SINGLETON_TYPES = [
    "aws:cloudtrail/trail:Trail",
    "aws:cfg/recorder:Recorder",
    "aws:cfg/deliveryChannel:DeliveryChannel",
    "aws:cfg/recorderStatus:RecorderStatus",
    "aws:cfg/rule:Rule",
    "aws:guardduty/detector:Detector",
    "aws:guardduty/detectorFeature:DetectorFeature",
    "aws:iam/serviceLinkedRole:ServiceLinkedRole",
];

function checkBudget(plan: PlanJson, stack: string, limit: string) {
    const [budget] = ofType(plan, "aws:budgets/budget:Budget");
    assert.strictEqual(ofType(plan, "aws:budgets/budget:Budget").length, 1);
    const b = budget.inputs;
    assert.deepStrictEqual([b.budgetType, b.timeUnit, b.limitAmount, b.limitUnit], ["COST", "MONTHLY", limit, "USD"]);
    assert.deepStrictEqual(b.costFilters, [{ name: "TagKeyValue", values: [`user:environment$${stack}`] }]);
    const topic = `arn:aws:sns:eu-west-1:${ACCOUNT}:retail-platform-${stack}-operations`;
    assert.deepStrictEqual(
        b.notifications.map((n: any) => [n.notificationType, n.comparisonOperator, n.thresholdType, n.threshold, n.subscriberSnsTopicArns]),
        [
            ["ACTUAL", "GREATER_THAN", "PERCENTAGE", 80, [topic]],
            ["FORECASTED", "GREATER_THAN", "PERCENTAGE", 100, [topic]],
        ],
    );
    // Budgets may publish to the topic (confused-deputy conditions) and use the home key it is encrypted with.
    const [topicPolicy] = ofType(plan, "aws:sns/topicPolicy:TopicPolicy").filter((p) => p.inputs.arn === topic);
    const publish = bySid(topicPolicy, "BudgetsNotify");
    assert.deepStrictEqual(
        [publish.Principal, publish.Action, publish.Resource],
        [{ Service: "budgets.amazonaws.com" }, "sns:Publish", topic],
    );
    assert.deepStrictEqual(publish.Condition, {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws:budgets::${ACCOUNT}:*` },
    });
    // The topic policy replaces the default one: the account and CloudWatch alarms keep their access.
    assert.deepStrictEqual(bySid(topicPolicy, "AccountPrincipals").Principal, { AWS: `arn:aws:iam::${ACCOUNT}:root` });
    assert.deepStrictEqual(bySid(topicPolicy, "CloudWatchAlarms").Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
    const grant = bySid(named(plan, `retail-platform-${stack}-key-policy`), "BudgetsNotifications");
    assert.deepStrictEqual(
        [grant.Principal, grant.Action],
        [{ Service: "budgets.amazonaws.com" }, ["kms:GenerateDataKey*", "kms:Decrypt"]],
    );
}

function checkSingletons(plan: PlanJson, stack: string, regions: string[]) {
    const prefix = `retail-platform-${stack}`;
    const trailArn = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${prefix}-audit`;

    // CloudTrail: multi-region, global events, validation, the home key, its own bucket; after both policies.
    const [trail] = ofType(plan, "aws:cloudtrail/trail:Trail");
    assert.deepStrictEqual(
        [
            trail.inputs.isMultiRegionTrail,
            trail.inputs.includeGlobalServiceEvents,
            trail.inputs.enableLogFileValidation,
            trail.inputs.s3BucketName,
            trail.inputs.region,
        ],
        [true, true, true, `${prefix}-trail-${ACCOUNT}`, undefined],
    );
    assert.strictEqual(trail.inputs.kmsKeyId, plan.outputs.kmsKeyArns["eu-west-1"]);
    assert.strictEqual(mockedIdentity(plan, trail).arn, trailArn, "the ARN built as a string is the trail's own");
    const deps = dependsOnNames(trail);
    assert.ok(deps.includes(`${prefix}-trail-store-policy`), "trail after its bucket policy");
    assert.ok(deps.includes(`${prefix}-key-policy`), "trail after the home key's full policy");
    const trailBucketPolicy = named(plan, `${prefix}-trail-store-policy`);
    const acl = bySid(trailBucketPolicy, "CloudTrailAclCheck");
    assert.deepStrictEqual(
        [acl.Action, acl.Resource, acl.Condition],
        ["s3:GetBucketAcl", `arn:aws:s3:::${prefix}-trail-${ACCOUNT}`, { StringEquals: { "aws:SourceArn": trailArn } }],
    );
    const write = bySid(trailBucketPolicy, "CloudTrailWrite");
    assert.deepStrictEqual(
        [write.Action, write.Resource, write.Condition],
        [
            "s3:PutObject",
            `arn:aws:s3:::${prefix}-trail-${ACCOUNT}/AWSLogs/${ACCOUNT}/*`,
            { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
        ],
    );
    assert.ok(statements(trailBucketPolicy).some((s) => s.Sid === "DenyInsecureTransport"));
    const trailBucket = ofType(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find(
        (r) => r.name === `${prefix}-trail-store-encryption`,
    )!;
    assert.deepStrictEqual(trailBucket.inputs.rules[0], {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: plan.outputs.kmsKeyArns["eu-west-1"] },
        bucketKeyEnabled: true,
    });
    for (const part of ["public-access", "versioning", "logging"]) named(plan, `${prefix}-trail-store-${part}`);

    // The home key's policy: CloudTrail's statements, Config's delivery.
    const keyPolicy = named(plan, `${prefix}-key-policy`);
    const encrypt = bySid(keyPolicy, "CloudTrailEncryptLogs");
    assert.deepStrictEqual(
        [encrypt.Principal, encrypt.Action, encrypt.Condition],
        [
            { Service: "cloudtrail.amazonaws.com" },
            "kms:GenerateDataKey*",
            {
                StringEquals: { "aws:SourceArn": trailArn },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
            },
        ],
    );
    assert.deepStrictEqual(
        [bySid(keyPolicy, "CloudTrailDescribeKey").Action, bySid(keyPolicy, "CloudTrailDescribeKey").Condition],
        ["kms:DescribeKey", { StringEquals: { "aws:SourceArn": trailArn } }],
    );
    const config = bySid(keyPolicy, "ConfigDelivery");
    assert.deepStrictEqual(
        [config.Principal, config.Action, config.Condition],
        [{ Service: "config.amazonaws.com" }, ["kms:Decrypt", "kms:GenerateDataKey"], { StringEquals: { "aws:SourceAccount": ACCOUNT } }],
    );

    // Config: the governance bucket (no Object Lock) and its policy.
    const govBucket = ofType(plan, "aws:s3/bucket:Bucket").find((b) => b.name === `${prefix}-governance-bucket`)!;
    assert.strictEqual(govBucket.inputs.objectLockEnabled, undefined);
    const govPolicy = named(plan, `${prefix}-governance-policy`);
    assert.deepStrictEqual(bySid(govPolicy, "ConfigBucketChecks").Action, ["s3:GetBucketAcl", "s3:ListBucket"]);
    const delivery = bySid(govPolicy, "ConfigDelivery");
    assert.deepStrictEqual(
        [delivery.Resource, delivery.Condition],
        [
            `arn:aws:s3:::${prefix}-governance-${ACCOUNT}/AWSLogs/${ACCOUNT}/Config/*`,
            { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": ACCOUNT } },
        ],
    );
    const [slr] = ofType(plan, "aws:iam/serviceLinkedRole:ServiceLinkedRole");
    assert.strictEqual(slr.inputs.awsServiceName, "config.amazonaws.com");

    // One recorder per region, in order recorder -> channel -> status -> rules.
    const recorders = ofType(plan, "aws:cfg/recorder:Recorder");
    assert.deepStrictEqual(recorders.map((r) => r.inputs.region ?? "eu-west-1").sort(), [...regions].sort());
    for (const region of regions) {
        const base = region === "eu-west-1" ? `${prefix}-config` : `${prefix}-config-${region}`;
        const recorder = named(plan, `${base}-recorder`);
        assert.strictEqual(recorder.inputs.roleArn, mockedIdentity(plan, slr).arn);
        const group = recorder.inputs.recordingGroup;
        assert.deepStrictEqual(
            [group.allSupported, group.includeGlobalResourceTypes, group.recordingStrategies],
            [false, false, [{ useOnly: "EXCLUSION_BY_RESOURCE_TYPES" }]],
        );
        const excluded = group.exclusionByResourceTypes[0].resourceTypes;
        assert.ok(excluded.includes("AWS::EC2::NetworkInterface"));
        assert.strictEqual(excluded.includes("AWS::IAM::Role"), region !== "eu-west-1", "IAM types recorded in the home region only");
        assert.strictEqual(excluded.includes("AWS::RDS::GlobalCluster"), region !== "eu-west-1");
        const channel = named(plan, `${base}-channel`);
        assert.deepStrictEqual(
            [channel.inputs.s3BucketName, channel.inputs.s3KmsKeyArn],
            [`${prefix}-governance-${ACCOUNT}`, plan.outputs.kmsKeyArns["eu-west-1"]],
        );
        assert.ok(
            dependsOnNames(channel).includes(`${base}-recorder`) && dependsOnNames(channel).includes(`${prefix}-governance-policy`),
            "channel after recorder and bucket policy",
        );
        const status = named(plan, `${base}-status`);
        assert.strictEqual(status.inputs.isEnabled, true);
        assert.ok(dependsOnNames(status).includes(`${base}-channel`), "status after channel");
        const rules = ofType(plan, "aws:cfg/rule:Rule").filter((r) => (r.inputs.region ?? "eu-west-1") === region);
        for (const rule of rules) {
            assert.ok(
                dependsOnNames(rule).includes(`${base}-status`) && dependsOnNames(rule).includes(`${base}-recorder`),
                `${rule.name} after the recorder runs`,
            );
            assert.strictEqual(rule.inputs.source.owner, "AWS");
        }
        const identifiers = Object.fromEntries(rules.map((r) => [r.inputs.name, r.inputs.source.sourceIdentifier]));
        // Seed 000's rules, by the identifiers AWS uses (two differ from their names).
        assert.strictEqual(identifiers["ec2-instances-in-vpc"], "INSTANCES_IN_VPC");
        assert.strictEqual(identifiers["restricted-ssh"], "INCOMING_SSH_DISABLED");
        assert.strictEqual(identifiers["s3-bucket-server-side-encryption-enabled"], "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED");
        assert.strictEqual(identifiers["rds-instance-public-access-check"], "RDS_INSTANCE_PUBLIC_ACCESS_CHECK");
        assert.strictEqual(identifiers["restricted-common-ports"], "RESTRICTED_INCOMING_TRAFFIC");
        assert.strictEqual(identifiers["iam-root-access-key-check"], region === "eu-west-1" ? "IAM_ROOT_ACCESS_KEY_CHECK" : undefined);
        assert.strictEqual(
            identifiers["iam-policy-no-statements-with-admin-access"],
            region === "eu-west-1" ? "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS" : undefined,
        );
        assert.strictEqual(
            identifiers["cloudfront-associated-with-waf"],
            region === "us-east-1" ? "CLOUDFRONT_ASSOCIATED_WITH_WAF" : undefined,
        );
        assert.strictEqual(
            identifiers["cloudfront-viewer-policy-https"],
            region === "us-east-1" ? "CLOUDFRONT_VIEWER_POLICY_HTTPS" : undefined,
        );
    }
    assert.strictEqual(
        ofType(plan, "aws:cfg/rule:Rule").length,
        regions.reduce(
            (n, region) =>
                n +
                CONFIG_RULES.filter((r) => r.where === "all" || (r.where === "home" && region === "eu-west-1") || r.where === region)
                    .length,
            0,
        ),
    );

    // GuardDuty: a detector per region with its features as DetectorFeature resources.
    const detectors = ofType(plan, "aws:guardduty/detector:Detector");
    assert.deepStrictEqual(detectors.map((d) => d.inputs.region ?? "eu-west-1").sort(), [...regions].sort());
    for (const d of detectors) assert.strictEqual(d.inputs.datasources, undefined, "the deprecated datasources block is not used");

    // Events: every other region forwards to the home default bus; home rules notify the operations topic.
    const rules = ofType(plan, "aws:cloudwatch/eventRule:EventRule").filter((r) => r.tier === "governance");
    const targets = ofType(plan, "aws:cloudwatch/eventTarget:EventTarget").filter((r) => r.tier === "governance");
    const homeBus = `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`;
    const topic = `arn:aws:sns:eu-west-1:${ACCOUNT}:${prefix}-operations`;
    for (const region of regions.filter((r) => r !== "eu-west-1")) {
        for (const kind of ["config-noncompliant", "guardduty-findings"]) {
            const target = named(plan, `${prefix}-${kind}-${region}-target`);
            assert.deepStrictEqual([target.inputs.region, target.inputs.arn], [region, homeBus]);
            assert.ok(target.inputs.roleArn);
            assert.strictEqual(named(plan, `${prefix}-${kind}-${region}-rule`).inputs.region, region);
        }
    }
    assert.strictEqual(rules.length, 2 + 2 * (regions.length - 1));
    assert.strictEqual(targets.filter((t) => t.inputs.arn === topic && t.inputs.region === undefined).length, 2);
    const forwarding = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${prefix}-event-forwarding`)!;
    assert.deepStrictEqual(statements(forwarding), [
        { Sid: "PutOnHomeDefaultBus", Effect: "Allow", Action: "events:PutEvents", Resource: homeBus },
    ]);
    const compliance = JSON.parse(named(plan, `${prefix}-config-noncompliant`, RULE).inputs.eventPattern);
    assert.deepStrictEqual(compliance.detail.newEvaluationResult, { complianceType: ["NON_COMPLIANT"] });
    assert.deepStrictEqual(compliance["detail-type"], ["Config Rules Compliance Change"]);
    const [topicPolicy] = ofType(plan, "aws:sns/topicPolicy:TopicPolicy").filter((p) => p.inputs.arn === topic);
    const fromRules = bySid(topicPolicy, "EventBridgeGovernanceRules");
    assert.deepStrictEqual(fromRules.Condition.ArnEquals["aws:SourceArn"], [
        `arn:aws:events:eu-west-1:${ACCOUNT}:rule/${prefix}-config-noncompliant`,
        `arn:aws:events:eu-west-1:${ACCOUNT}:rule/${prefix}-guardduty-findings`,
    ]);
}

describe("governance: committed stacks", function () {
    it("staging (accountSingletons external): only the budget, no account singletons", function () {
        this.timeout(120_000);
        const plan = planOf("staging");
        checkBudget(plan, "staging", "3000.00");
        for (const type of SINGLETON_TYPES) assert.strictEqual(ofType(plan, type).length, 0, `${type} belongs to the managing stack`);
        assert.deepStrictEqual(
            plan.resources.filter((r) => r.tier === "governance" && r.custom).map((r) => r.type),
            ["aws:budgets/budget:Budget"],
        );
    });

    it("production (accountSingletons managed): trail, Config and GuardDuty in home, us-east-1 and the replica region", function () {
        this.timeout(120_000);
        const plan = planOf("production");
        checkBudget(plan, "production", "25000.00");
        checkSingletons(plan, "production", ["eu-west-1", "us-east-1", "eu-central-1"]);
        const features = ofType(plan, "aws:guardduty/detectorFeature:DetectorFeature");
        assert.deepStrictEqual(
            features
                .filter((f) => f.inputs.region === "eu-central-1")
                .map((f) => [f.inputs.name, f.inputs.status])
                .sort(),
            [
                ["EBS_MALWARE_PROTECTION", "ENABLED"],
                ["LAMBDA_NETWORK_LOGS", "ENABLED"],
                ["RDS_LOGIN_EVENTS", "ENABLED"],
                ["S3_DATA_EVENTS", "ENABLED"],
            ],
        );
        assert.strictEqual(features.length, 3 * 4);
        const findings = JSON.parse(named(plan, "retail-platform-production-guardduty-findings", RULE).inputs.eventPattern);
        assert.deepStrictEqual(findings.detail, { severity: [{ numeric: [">=", 5] }] });
    });
});

describe("governance: the other accountSingletons mode of each stack", function () {
    it("staging with managed singletons covers home and us-east-1 only (no replica region)", function () {
        this.timeout(180_000);
        const plan = variantPlan("staging-managed", "staging", (config) => {
            config["retail-platform:accountSingletons"] = "managed";
            config["retail-platform:governance"].guardDuty.features = ["RUNTIME_MONITORING", "S3_DATA_EVENTS", "RDS_LOGIN_EVENTS"];
            config["retail-platform:identity"] = {
                ...config["retail-platform:identity"],
                sesIdentityArn: `arn:aws:ses:eu-west-1:${ACCOUNT}:identity/staging.shop.example.com`,
                fromEmailAddress: "no-reply@staging.shop.example.com",
            };
        });
        assert.deepStrictEqual(
            ofType(plan, "aws:cfg/recorder:Recorder")
                .map((r) => r.inputs.region ?? "eu-west-1")
                .sort(),
            ["eu-west-1", "us-east-1"],
        );
        const features = ofType(plan, "aws:guardduty/detectorFeature:DetectorFeature");
        assert.strictEqual(features.length, 2 * 3);
        // Runtime monitoring comes with GuardDuty's managed agent for ECS Fargate.
        assert.deepStrictEqual(
            features.filter((f) => f.inputs.name === "RUNTIME_MONITORING").map((f) => f.inputs.additionalConfigurations),
            Array(2).fill([{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }]),
        );
        assert.strictEqual(ofType(plan, "aws:cloudtrail/trail:Trail").length, 1);
        // SES configured: both pools send through the developer identity.
        for (const pool of ofType(plan, "aws:cognito/userPool:UserPool")) {
            assert.deepStrictEqual(pool.inputs.emailConfiguration, {
                emailSendingAccount: "DEVELOPER",
                sourceArn: `arn:aws:ses:eu-west-1:${ACCOUNT}:identity/staging.shop.example.com`,
                fromEmailAddress: "no-reply@staging.shop.example.com",
            });
        }
    });

    it("production with external singletons keeps only the budget", function () {
        this.timeout(180_000);
        const plan = variantPlan("production-external", "production", (config) => {
            config["retail-platform:accountSingletons"] = "external";
        });
        for (const type of SINGLETON_TYPES) assert.strictEqual(ofType(plan, type).length, 0, type);
        assert.strictEqual(ofType(plan, "aws:budgets/budget:Budget").length, 1);
        assert.ok(
            !ofType(plan, "aws:kms/keyPolicy:KeyPolicy").some((k) => k.inputs.policy.includes("cloudtrail.amazonaws.com")),
            "no CloudTrail grants without the trail",
        );
    });
});
