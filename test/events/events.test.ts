import * as assert from "assert";
import { omsConsumerTrust } from "../../stacks/events";
import { grantedKey, ofType, planOf, PlanJson, PlanResource, resolveRef } from "../support/plan";

const CONSUMERS = ["order-processor", "inventory", "notification", "crawler-trigger", "asset-indexer"];

function statementsOf(plan: PlanJson, role: PlanResource): any[] {
    return ofType(plan, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => resolveRef(plan, p.inputs.role).name === role.name)
        .flatMap((p) => JSON.parse(p.inputs.policy).Statement);
}

for (const stack of ["staging", "production"]) {
    describe(`events tier (${stack})`, function () {
        let plan: PlanJson;
        const prefix = `retail-platform-${stack}`;
        const named = (type: string, name: string) => {
            const found = ofType(plan, type).filter((r) => r.name === name);
            assert.strictEqual(found.length, 1, `${type} ${name}`);
            return found[0];
        };
        const homeKey = () => ofType(plan, "aws:kms/key:Key").find((k) => k.tier === "security" && k.inputs.region === undefined)!;
        before(function () {
            this.timeout(60_000);
            plan = planOf(stack);
        });

        it("declares RetailEventBus with a 90-day archive of every event and the three order-flow rules", () => {
            const bus = named("aws:cloudwatch/eventBus:EventBus", `${prefix}-bus`);
            assert.strictEqual(bus.inputs.name, `RetailEventBus-${stack}`, "bus names are unique per account and region");
            const [archive] = ofType(plan, "aws:cloudwatch/eventArchive:EventArchive");
            assert.strictEqual(resolveRef(plan, archive.inputs.eventSourceArn).name, bus.name);
            assert.strictEqual(archive.inputs.retentionDays, 90);
            assert.strictEqual(archive.inputs.eventPattern, undefined, "the archive keeps every event");
            const rules = Object.fromEntries(
                ofType(plan, "aws:cloudwatch/eventRule:EventRule").map((r) => [r.name.replace(`${prefix}-`, ""), r]),
            );
            assert.deepStrictEqual(JSON.parse(rules["order-processor"].inputs.eventPattern), {
                "detail-type": ["OrderPlaced", "PaymentProcessed"],
            });
            assert.deepStrictEqual(JSON.parse(rules.inventory.inputs.eventPattern), { "detail-type": ["InventoryReserved"] });
            assert.deepStrictEqual(JSON.parse(rules.notification.inputs.eventPattern), { "detail-type": ["OrderPlaced", "OrderShipped"] });
            for (const r of ["order-processor", "inventory", "notification"])
                assert.strictEqual(rules[r].inputs.eventBusName, `RetailEventBus-${stack}`);
        });

        it("puts the S3 object rules on the default bus, filtered by bucket and prefix", () => {
            const rules = Object.fromEntries(
                ofType(plan, "aws:cloudwatch/eventRule:EventRule").map((r) => [r.name.replace(`${prefix}-`, ""), r]),
            );
            const cases: [string, string, string[]][] = [
                // Only the crawled domains' prefixes (ORed): the clickstream's raw/clickstream/ never reaches the trigger.
                ["crawler-trigger", "data-lake", ["raw/orders/", "raw/inventory/", "raw/products/"]],
                ["asset-indexer", "assets", ["images/products/"]],
            ];
            for (const [rule, bucketRole, prefixes] of cases) {
                assert.strictEqual(rules[rule].inputs.eventBusName, undefined, `${rule} is on the default bus`);
                const bucket = named("aws:s3/bucket:Bucket", `${prefix}-${bucketRole}-bucket`);
                assert.deepStrictEqual(JSON.parse(rules[rule].inputs.eventPattern), {
                    source: ["aws.s3"],
                    "detail-type": ["Object Created"],
                    detail: { bucket: { name: [bucket.inputs.bucket] }, object: { key: prefixes.map((p) => ({ prefix: p })) } },
                });
            }
            const crawled = JSON.parse(rules["crawler-trigger"].inputs.eventPattern).detail.object.key.map((k: any) => k.prefix);
            assert.ok(!crawled.some((p: string) => "raw/clickstream/x.parquet".startsWith(p)), "clickstream objects are not matched");
        });

        it("gives every rule target a 24-hour retry policy and its own dead-letter queue", () => {
            const targets = ofType(plan, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.tier === "events");
            assert.strictEqual(targets.length, 5);
            const dlqs = new Set<string>();
            for (const t of targets) {
                assert.deepStrictEqual(t.inputs.retryPolicy, { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 });
                const dlq = resolveRef(plan, t.inputs.deadLetterConfig.arn);
                assert.strictEqual(dlq.type, "aws:sqs/queue:Queue");
                dlqs.add(dlq.name);
                assert.strictEqual(resolveRef(plan, t.inputs.arn).name, `${prefix}-${t.inputs.targetId}-queue`);
            }
            assert.strictEqual(dlqs.size, 5, "one delivery DLQ per target");
        });

        it("gives each consumer an encrypted queue admitting only its rule, with the redrive contract", () => {
            for (const consumer of CONSUMERS) {
                const source = named("aws:sqs/queue:Queue", `${prefix}-${consumer}-queue`);
                assert.strictEqual(resolveRef(plan, source.inputs.kmsMasterKeyId).name, homeKey().name);
                assert.strictEqual(source.inputs.messageRetentionSeconds, 4 * 86400);
                assert.ok(source.inputs.visibilityTimeoutSeconds >= 6 * 30 + 1, "six function timeouts plus the batching window");
                const redrive = JSON.parse(source.inputs.redrivePolicy);
                assert.strictEqual(redrive.maxReceiveCount, 5);
                const dlq = resolveRef(plan, redrive.deadLetterTargetArn);
                assert.strictEqual(dlq.inputs.messageRetentionSeconds, 14 * 86400);
                assert.strictEqual(resolveRef(plan, dlq.inputs.kmsMasterKeyId).name, homeKey().name);

                const policies = ofType(plan, "aws:sqs/queuePolicy:QueuePolicy").filter(
                    (p) => resolveRef(plan, p.inputs.queueUrl).name === source.name,
                );
                assert.strictEqual(policies.length, 1);
                const statements = JSON.parse(policies[0].inputs.policy).Statement;
                assert.strictEqual(statements.length, 1);
                assert.deepStrictEqual(statements[0].Principal, { Service: "events.amazonaws.com" });
                assert.strictEqual(resolveRef(plan, statements[0].Condition.ArnEquals["aws:SourceArn"]).name, `${prefix}-${consumer}`);
            }
        });

        it("alarms on every dead-letter queue holding a message and on old source messages, notifying operations", () => {
            const alarms = ofType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/SQS");
            for (const consumer of CONSUMERS) {
                for (const [suffix, metric] of [
                    ["dlq-depth", "ApproximateNumberOfMessagesVisible"],
                    ["delivery-dlq-depth", "ApproximateNumberOfMessagesVisible"],
                    ["oldest-message", "ApproximateAgeOfOldestMessage"],
                ]) {
                    const alarm = alarms.find((a) => a.name === `${prefix}-${consumer}-${suffix}`);
                    assert.ok(alarm, `${consumer} ${suffix}`);
                    assert.strictEqual(alarm.inputs.metricName, metric);
                    assert.strictEqual(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
                    if (suffix !== "oldest-message") assert.strictEqual(alarm.inputs.threshold, 0);
                    const topic = resolveRef(plan, alarm.inputs.alarmActions[0]);
                    assert.strictEqual(topic.type, "aws:sns/topic:Topic");
                    assert.match(topic.name, /operations/);
                }
            }
        });

        it("sends placed orders to a FIFO queue with a FIFO DLQ, no content deduplication, and a least-privilege consumer role", () => {
            const oms = named("aws:sqs/queue:Queue", `${prefix}-oms-queue`);
            assert.strictEqual(oms.inputs.name, `${prefix}-oms.fifo`);
            assert.strictEqual(oms.inputs.fifoQueue, true);
            assert.strictEqual(oms.inputs.contentBasedDeduplication, false);
            const dlq = resolveRef(plan, JSON.parse(oms.inputs.redrivePolicy).deadLetterTargetArn);
            assert.deepStrictEqual([dlq.inputs.name, dlq.inputs.fifoQueue], [`${prefix}-oms-dlq.fifo`, true]);
            const consumer = named("aws:iam/role:Role", `${prefix}-oms-consumer`);
            const statements = statementsOf(plan, consumer);
            assert.deepStrictEqual(
                statements.map((s) => s.Sid),
                ["ConsumeOrders", "DecryptOrders"],
            );
            assert.strictEqual(resolveRef(plan, statements[0].Resource).name, oms.name);
            assert.deepStrictEqual(statements[1].Condition.StringEquals, { "kms:ViaService": ["sqs.eu-west-1.amazonaws.com"] });
            assert.strictEqual(grantedKey(plan, statements[1]).tier, "security", "the stack key, by its alias");
            assert.match(plan.outputs.events.omsConsumerRoleArn, /^arn:aws:iam::123456789012:role\//);
            // Never the account root alone: production names the OMS's role, staging admits only its own oms-* roles.
            const [trust] = JSON.parse(consumer.inputs.assumeRolePolicy).Statement;
            if (stack === "production") {
                assert.deepStrictEqual(trust.Principal, { AWS: "arn:aws:iam::111122223333:role/oms-order-consumer" });
                assert.strictEqual(trust.Condition, undefined);
            } else {
                assert.deepStrictEqual(trust.Principal, { AWS: "arn:aws:iam::123456789012:root" });
                assert.deepStrictEqual(trust.Condition, {
                    ArnLike: { "aws:PrincipalArn": `arn:aws:iam::123456789012:role/${prefix}-oms-*` },
                });
            }
        });

        it("encrypts the order-notifications topic with the stack's key and subscribes what config lists", () => {
            const topic = named("aws:sns/topic:Topic", `${prefix}-order-notifications`);
            assert.strictEqual(resolveRef(plan, topic.inputs.kmsMasterKeyId).name, homeKey().name);
            const subscriptions = ofType(plan, "aws:sns/topicSubscription:TopicSubscription").filter(
                (s) => resolveRef(plan, s.inputs.topic).name === topic.name,
            );
            assert.deepStrictEqual(
                subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint]),
                stack === "staging"
                    ? [["email", "order-notifications-staging@example.com"]]
                    : [["https", "https://notifications.example.com/sns/order-events"]],
            );
        });

        it("subscribes the configured on-call endpoints to the operations topic every alarm notifies", () => {
            const topic = named("aws:sns/topic:Topic", `${prefix}-ecs-operations`);
            const subscriptions = ofType(plan, "aws:sns/topicSubscription:TopicSubscription").filter(
                (s) => resolveRef(plan, s.inputs.topic).name === topic.name,
            );
            assert.deepStrictEqual(
                subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint]).sort(),
                stack === "staging"
                    ? [["email", "platform-alerts-staging@example.com"]]
                    : [
                          ["email", "platform-oncall@example.com"],
                          ["https", "https://events.pagerduty.example.com/integration/retail-platform-production/enqueue"],
                      ],
            );
            // Named by what they subscribe, so removing one never replaces (and re-confirms) another.
            for (const s of subscriptions) assert.match(s.name, new RegExp(`^${prefix}-ecs-operations-[0-9a-f]{8}$`));
        });

        it("runs each handler on Node.js 22 arm64 in the application subnets, with its own role, log group and partial batch responses", () => {
            const appSubnets = ofType(plan, "aws:ec2/subnet:Subnet")
                .filter((s) => s.inputs.tags["retail:subnet-class"] === "application")
                .map((s) => s.name);
            const roles = new Set<string>();
            for (const consumer of CONSUMERS) {
                const fn = named("aws:lambda/function:Function", `${prefix}-${consumer}-function`);
                const i = fn.inputs;
                assert.deepStrictEqual([i.runtime, i.architectures, i.handler], ["nodejs22.x", ["arm64"], "index.handler"]);
                assert.strictEqual(i.code["[archive]"], "(assets)");
                assert.match(i.code.sha256, /^[0-9a-f]{64}$/, "archives are recorded by content");
                assert.deepStrictEqual(
                    i.vpcConfig.subnetIds.map((id: string) => resolveRef(plan, id).name),
                    appSubnets,
                );
                assert.deepStrictEqual(
                    i.vpcConfig.securityGroupIds.map((id: string) => resolveRef(plan, id).name),
                    [`${prefix}-lambda`],
                );
                assert.strictEqual(i.reservedConcurrentExecutions, undefined, "reserved concurrency is off by default");
                const group = ofType(plan, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === i.loggingConfig.logGroup)!;
                assert.ok(group, "the function logs to the group the program created");
                assert.strictEqual(resolveRef(plan, group.inputs.kmsKeyId).name, homeKey().name);
                roles.add(resolveRef(plan, i.role).name);
                const [mapping] = ofType(plan, "aws:lambda/eventSourceMapping:EventSourceMapping").filter(
                    (m) => resolveRef(plan, m.inputs.functionName).name === fn.name,
                );
                assert.deepStrictEqual(mapping.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
                assert.deepStrictEqual(mapping.inputs.scalingConfig, { maximumConcurrency: 5 });
                assert.strictEqual(resolveRef(plan, mapping.inputs.eventSourceArn).name, `${prefix}-${consumer}-queue`);
            }
            assert.strictEqual(roles.size, CONSUMERS.length, "one role per function");
        });

        it("sizes the handlers' environment to the queue contract", () => {
            const env = (consumer: string) =>
                named("aws:lambda/function:Function", `${prefix}-${consumer}-function`).inputs.environment.variables;
            // One database connection per record of a batch (Powertools processes them in parallel).
            assert.strictEqual(env("order-processor").DB_POOL_MAX, "10");
            assert.strictEqual(env("inventory").DB_POOL_MAX, "10");
            // The notification claim lapses one invocation before SQS redelivers (visibility 181 s - 30 s - 1 s).
            assert.strictEqual(env("notification").NOTIFICATION_IN_FLIGHT_TTL_MS, "150000");
            // Exactly the domains the analytics tier crawls; a crawler starts at most once a day by default.
            assert.strictEqual(env("crawler-trigger").CRAWLER_DOMAINS, "orders,inventory,products");
            assert.strictEqual(env("crawler-trigger").CRAWLER_START_WINDOW_SECONDS, "86400");
            assert.strictEqual(env("crawler-trigger").GLUE_CRAWLER_PREFIX, `${prefix}-raw-`);
            const crawlers = ofType(plan, "aws:glue/crawler:Crawler")
                .map((c) => c.inputs.name)
                .sort();
            assert.deepStrictEqual(
                crawlers,
                ["inventory", "orders", "products"].map((d) => `${prefix}-raw-${d}`),
                "the trigger's names are real crawlers",
            );
        });

        it("grants each handler only what it uses", () => {
            const sidsOf = (consumer: string) =>
                statementsOf(plan, named("aws:iam/role:Role", `${prefix}-${consumer}-role`)).map((s) => s.Sid ?? s.Action);
            const base = ["OwnLogs", "VpcNetworkInterfaces", "ConsumeSourceQueue", "DecryptSourceQueue"];
            // statementsOf lists the role's policies in plan order: the one naming the cluster's resource id comes first.
            assert.deepStrictEqual(sidsOf("inventory"), ["rds-db:connect", ...base]);
            assert.deepStrictEqual(sidsOf("order-processor"), [
                "rds-db:connect",
                ...base,
                "ArchiveRawOrders",
                "ForwardToOms",
                ["kms:GenerateDataKey", "kms:Decrypt"],
            ]);
            assert.deepStrictEqual(sidsOf("notification"), [...base, "PublishNotifications", ["kms:GenerateDataKey", "kms:Decrypt"]]);
            assert.deepStrictEqual(sidsOf("crawler-trigger"), [...base, "StartDomainCrawlers"]);
            assert.deepStrictEqual(sidsOf("asset-indexer"), [
                ...base,
                "WriteAssetIndex",
                "ReadImageTags",
                ["kms:GenerateDataKey", "kms:Decrypt"],
            ]);
            const connect = statementsOf(plan, named("aws:iam/role:Role", `${prefix}-inventory-role`)).find(
                (s) => s.Action === "rds-db:connect",
            );
            assert.match(connect.Resource, /^arn:aws:rds-db:eu-west-1:123456789012:dbuser:cluster-[A-Z0-9]+\/inventory_lambda$/);
            for (const fn of ["inventory", "order-processor"]) {
                // The grant naming the cluster's AWS-assigned resource id has a policy of its own; the main one is known at preview.
                const policies = ofType(plan, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.startsWith(`${prefix}-${fn}-`));
                const main = policies.find((p) => p.name === `${prefix}-${fn}-policy`)!;
                const ids = policies.find((p) => p.name === `${prefix}-${fn}-ids-policy`)!;
                assert.deepStrictEqual(
                    JSON.parse(ids.inputs.policy).Statement.map((x: any) => x.Action),
                    ["rds-db:connect"],
                );
                assert.ok(!JSON.parse(main.inputs.policy).Statement.some((x: any) => x.Action === "rds-db:connect"));
                assert.ok(main.options!.dependsOn.includes(ids.urn), `${fn}: the ids policy exists before the main one changes`);
            }
            const archive = statementsOf(plan, named("aws:iam/role:Role", `${prefix}-order-processor-role`)).find(
                (s) => s.Sid === "ArchiveRawOrders",
            );
            assert.match(archive.Resource, /-data-lake-123456789012\/raw\/orders\/\*$/);
        });
    });
}

describe("OMS consumer trust", () => {
    it("binds an account-root principal to the external id, and never trusts a root without a condition", () => {
        const withExternalId = omsConsumerTrust(
            { omsConsumerPrincipal: "arn:aws:iam::210987654321:root", omsConsumerExternalId: "retail-oms-7f3a" },
            "p-s",
            "123456789012",
            "aws",
        );
        assert.deepStrictEqual(withExternalId.Condition, { StringEquals: { "sts:ExternalId": "retail-oms-7f3a" } });
        assert.throws(
            () => omsConsumerTrust({ omsConsumerPrincipal: "arn:aws:iam::210987654321:root" }, "p-s", "123456789012", "aws"),
            /needs omsConsumerExternalId/,
        );
        assert.deepStrictEqual(omsConsumerTrust({}, "p-s", "123456789012", "aws-cn").Condition, {
            ArnLike: { "aws:PrincipalArn": "arn:aws-cn:iam::123456789012:role/p-s-oms-*" },
        });
    });
});
