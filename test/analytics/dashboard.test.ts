import * as assert from "assert";
import {
    ClickstreamSources,
    dashboardBody,
    dashboardDimensions,
    DashboardSources,
    pagingAlarmSpecs,
} from "../../components/operationsDashboard";

const BASE: DashboardSources = {
    region: "eu-west-1",
    ecs: { clusterName: "c", serviceNames: ["storefront", "cart"] },
    loadBalancerArnSuffix: "app/alb/123",
    auroraClusterIdentifier: "aurora",
    cacheName: "cache",
    queues: [{ consumer: "inventory", queueName: "q-inventory", deadLetterQueueName: "q-inventory-dlq" }],
    functionNames: ["fn-inventory"],
    glueJobName: "etl",
    crawlerNames: ["raw-orders"],
    athenaWorkgroup: "wg",
    distributionId: "E123",
    webAclName: "acl",
};
const CLICKSTREAM: ClickstreamSources = {
    streamName: "clicks",
    firehoseName: "clicks-to-lake",
    firehoseBufferIntervalSeconds: 300,
    apiName: "clicks-api",
    stageName: "v1",
    consumerFunctionNames: ["clicks-sessionizer", "clicks-counter"],
    quarantineBucket: "quarantine",
};

const namespaces = (s: DashboardSources) => new Set(dashboardDimensions(dashboardBody(s)).map((d) => d.namespace));
const values = (s: DashboardSources, name: string) =>
    dashboardDimensions(dashboardBody(s))
        .filter((d) => d.name === name)
        .map((d) => d.value);

describe("operations dashboard (pure)", () => {
    it("without the clickstream tier: no Kinesis, Firehose or API Gateway widgets", () => {
        const ns = namespaces(BASE);
        for (const n of ["AWS/Kinesis", "AWS/Firehose", "AWS/ApiGateway"]) assert.ok(!ns.has(n), n);
        for (const n of [
            "ECS/ContainerInsights",
            "AWS/ApplicationELB",
            "AWS/RDS",
            "AWS/ElastiCache",
            "AWS/SQS",
            "AWS/Lambda",
            "Glue",
            "AWS/CloudFront",
            "AWS/WAFV2",
        ])
            assert.ok(ns.has(n), n);
        assert.ok(!ns.has("AWS/Redshift-Serverless"), "no warehouse declared");
    });

    it("with the clickstream tier: its stream, delivery stream, API and consumers", () => {
        const s = { ...BASE, clickstream: CLICKSTREAM, redshiftWorkgroup: "wh" };
        assert.deepStrictEqual(values(s, "StreamName"), ["clicks", "clicks"]);
        assert.deepStrictEqual([...new Set(values(s, "DeliveryStreamName"))], ["clicks-to-lake"]);
        assert.deepStrictEqual([...new Set(values(s, "ApiName"))], ["clicks-api"]);
        assert.deepStrictEqual([...new Set(values(s, "Stage"))], ["v1"]);
        const iterator = dashboardDimensions(dashboardBody(s)).length;
        assert.ok(iterator > dashboardDimensions(dashboardBody(BASE)).length);
        const fns = new Set(values(s, "FunctionName"));
        for (const f of ["fn-inventory", ...CLICKSTREAM.consumerFunctionNames]) assert.ok(fns.has(f), f);
        assert.deepStrictEqual(values(s, "Workgroup"), ["wh"]);
    });

    it("reads the serverless cache by its clusterId dimension (the cache name): hit rate and throttled commands", () => {
        const cache = dashboardDimensions(dashboardBody(BASE)).filter((d) => d.namespace === "AWS/ElastiCache");
        assert.deepStrictEqual(cache, [
            { namespace: "AWS/ElastiCache", name: "clusterId", value: "cache" },
            { namespace: "AWS/ElastiCache", name: "clusterId", value: "cache" },
        ]);
        const metrics = dashboardBody(BASE)
            .widgets.flatMap((w) => w.properties.metrics as unknown[][])
            .filter((m) => m[0] === "AWS/ElastiCache")
            .map((m) => m[1]);
        assert.deepStrictEqual(metrics, ["CacheHitRate", "ThrottledCmds"]);
    });

    it("grows with what the stack declares, without editing the dashboard", () => {
        const more = {
            ...BASE,
            ecs: { ...BASE.ecs, serviceNames: [...BASE.ecs.serviceNames, "loyalty"] },
            queues: [...BASE.queues, { consumer: "x", queueName: "q-x", deadLetterQueueName: "q-x-dlq" }],
        };
        assert.ok(values(more, "ServiceName").includes("loyalty"));
        assert.ok(values(more, "QueueName").includes("q-x"));
        assert.ok(values(more, "QueueName").includes("q-x-dlq"));
    });

    it("puts CloudFront and WAF metrics in us-east-1 and lays widgets on a 24-column grid", () => {
        const body = dashboardBody({ ...BASE, clickstream: CLICKSTREAM });
        for (const w of body.widgets) {
            const ns = (w.properties.metrics as any[][])[0][0];
            assert.strictEqual(w.properties.region, ["AWS/CloudFront", "AWS/WAFV2"].includes(ns) ? "us-east-1" : "eu-west-1");
            assert.ok(w.x + w.width <= 24);
        }
        const positions = body.widgets.map((w) => `${w.x},${w.y}`);
        assert.strictEqual(new Set(positions).size, positions.length, "no two widgets overlap");
    });
});

describe("paging alarms (pure)", () => {
    it("page on consumer lag, Firehose freshness, API 5xx and quarantine only with the clickstream tier", () => {
        assert.deepStrictEqual(pagingAlarmSpecs({}), []);
        const specs = pagingAlarmSpecs({ clickstream: CLICKSTREAM, redshift: { workgroupName: "wh", dailyRpuHourLimit: 24 } });
        const byId = Object.fromEntries(specs.map((s) => [s.id, s]));
        assert.deepStrictEqual(Object.keys(byId), [
            "kinesis-consumer-0-iterator-age",
            "kinesis-consumer-1-iterator-age",
            "firehose-freshness",
            "clickstream-api-5xx",
            "clickstream-quarantine",
            "warehouse-usage-limit",
        ]);
        assert.strictEqual(byId["kinesis-consumer-0-iterator-age"].threshold, 300_000, "5 minutes in ms");
        assert.deepStrictEqual(byId["kinesis-consumer-1-iterator-age"].dimensions, { FunctionName: "clicks-counter" });
        assert.strictEqual(byId["firehose-freshness"].threshold, 600, "twice the buffer interval");
        assert.deepStrictEqual(byId["clickstream-api-5xx"].dimensions, { ApiName: "clicks-api", Stage: "v1" });
        assert.strictEqual(byId["clickstream-quarantine"].threshold, 0);
        assert.strictEqual(byId["warehouse-usage-limit"].threshold, 24 * 3600);
    });
});
