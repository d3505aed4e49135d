import { strict as assert } from "assert";
import { CrawlerRunningException, EntityNotFoundException, GlueClient, StartCrawlerCommand } from "@aws-sdk/client-glue";
import { mockClient } from "aws-sdk-client-mock";
import type Redis from "ioredis";
import {
    crawlerTriggerConfigFromEnv,
    crawlerWindowKey,
    createCrawlerTrigger,
    type CrawlerTriggerDeps,
} from "../../handlers/crawler-trigger/crawler-trigger";
import { RecordingCounterSink } from "../../handlers/lib/metrics";
import { getServices, type TestServices } from "../support/services";
import { eventBridgeEvent, RecordingLogger, runInBatches, seededRandom, shuffle, sqsEvent, sqsRecord } from "../support/messages";

const BUCKET = "retail-data-lake-test";
const PREFIX = "retail-test-raw-";

function objectCreated(key: string): string {
    return JSON.stringify(
        eventBridgeEvent("Object Created", {
            version: "0",
            bucket: { name: BUCKET },
            object: { key, size: 120, etag: "e" },
            "request-id": "r",
            requester: "123456789012",
            reason: "PutObject",
        }),
    );
}

function startedCrawlers(glueMock: ReturnType<typeof mockClient>): string[] {
    return glueMock.commandCalls(StartCrawlerCommand).map((call) => (call.args[0].input as { Name: string }).Name);
}

describe("crawler-trigger handler (real Redis)", function () {
    const glueMock = mockClient(GlueClient);
    let services: TestServices;
    let redis: Redis;
    let deps: CrawlerTriggerDeps & { counters: RecordingCounterSink };

    before(async function () {
        services = await getServices();
        redis = services.redis();
    });

    after(function () {
        glueMock.restore();
        if (redis) services.closeRedis(redis);
    });

    beforeEach(async function () {
        if (!services.redisRunning) await services.startRedis();
        await redis.flushall();
        glueMock.reset();
        glueMock.on(StartCrawlerCommand).resolves({});
        const counters = new RecordingCounterSink();
        deps = {
            glue: new GlueClient({ region: "eu-west-1" }),
            redis,
            logger: new RecordingLogger().asHandlerLogger(),
            metrics: counters,
            counters,
            crawlerNamePrefix: PREFIX,
            startWindowMs: 60_000,
        };
    });

    it("starts each domain's crawler at most once for a burst of objects", async function () {
        const random = seededRandom(7);
        const records = shuffle(
            [
                ...Array.from({ length: 30 }, (_, i) => sqsRecord(objectCreated(`raw/orders/date=2026-03-14/evt-${i}.json`))),
                ...Array.from({ length: 12 }, (_, i) => sqsRecord(objectCreated(`raw/inventory/date=2026-03-14/evt-${i}.json`))),
                sqsRecord(objectCreated("curated/orders/part-0000.parquet")),
                sqsRecord(objectCreated("raw/orders/")),
            ],
            random,
        );
        const failures = await runInBatches(records, createCrawlerTrigger(deps), { batchSize: 10, concurrency: 5 });
        assert.deepEqual([...failures], []);
        assert.deepEqual(startedCrawlers(glueMock).sort(), [`${PREFIX}inventory`, `${PREFIX}orders`]);
        const ttl = await redis.pttl(crawlerWindowKey(`${PREFIX}orders`));
        assert.ok(ttl > 0 && ttl <= 60_000, "the window expires");
    });

    it("starts the crawler again once the window has passed", async function () {
        deps.startWindowMs = 200;
        const handle = createCrawlerTrigger(deps);
        await handle(sqsEvent([sqsRecord(objectCreated("raw/products/a.json"))]));
        await handle(sqsEvent([sqsRecord(objectCreated("raw/products/b.json"))]));
        assert.equal(startedCrawlers(glueMock).length, 1);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await handle(sqsEvent([sqsRecord(objectCreated("raw/products/c.json"))]));
        assert.equal(startedCrawlers(glueMock).length, 2);
    });

    it("counts a crawler that is already running as success", async function () {
        glueMock
            .on(StartCrawlerCommand)
            .rejects(
                new CrawlerRunningException({ message: "Crawler with name retail-test-raw-orders has already started", $metadata: {} }),
            );
        const response = await createCrawlerTrigger(deps)(sqsEvent([sqsRecord(objectCreated("raw/orders/x.json"))]));
        assert.deepEqual(response.batchItemFailures, []);
    });

    it("fails the record on other Glue errors and releases the window so the retry can start the crawler", async function () {
        glueMock
            .on(StartCrawlerCommand)
            .rejectsOnce(new EntityNotFoundException({ message: "crawler not found", $metadata: {} }))
            .resolves({});
        const record = sqsRecord(objectCreated("raw/orders/y.json"));
        const handle = createCrawlerTrigger(deps);
        assert.deepEqual((await handle(sqsEvent([record]))).batchItemFailures, [{ itemIdentifier: record.messageId }]);
        assert.equal(await redis.get(crawlerWindowKey(`${PREFIX}orders`)), null);
        assert.deepEqual((await handle(sqsEvent([record]))).batchItemFailures, []);
        assert.equal(startedCrawlers(glueMock).length, 2);
    });

    it("starts the crawler anyway when Redis is unreachable, counting the failure", async function () {
        const handlerRedis = services.redis({ commandTimeoutMs: 300 });
        try {
            await handlerRedis.ping();
            await services.stopRedis();
            const response = await createCrawlerTrigger({ ...deps, redis: handlerRedis })(
                sqsEvent([sqsRecord(objectCreated("raw/orders/z.json"))]),
            );
            assert.deepEqual(response.batchItemFailures, []);
            assert.deepEqual(startedCrawlers(glueMock), [`${PREFIX}orders`]);
            assert.equal(deps.counters.get("CrawlerWindowCheckFailures"), 1);
        } finally {
            services.closeRedis(handlerRedis);
            await services.startRedis();
        }
    });

    it("ignores domains without a crawler and fails malformed messages", async function () {
        deps.domains = new Set(["orders"]);
        const unknownDomain = sqsRecord(objectCreated("raw/clickstream/a.json"));
        const malformed = sqsRecord(JSON.stringify(eventBridgeEvent("Object Created", { bucket: { name: BUCKET } })));
        const notJson = sqsRecord("nope");
        const response = await createCrawlerTrigger(deps)(sqsEvent([unknownDomain, malformed, notJson]));
        assert.deepEqual(
            response.batchItemFailures.map((failure) => failure.itemIdentifier).sort(),
            [malformed.messageId, notJson.messageId].sort(),
        );
        assert.equal(startedCrawlers(glueMock).length, 0);
    });

    it("reads its configuration from the environment", function () {
        assert.throws(() => crawlerTriggerConfigFromEnv({}), /GLUE_CRAWLER_PREFIX is required/);
        const config = crawlerTriggerConfigFromEnv({
            GLUE_CRAWLER_PREFIX: "p-",
            CRAWLER_DOMAINS: "orders, inventory",
            CRAWLER_START_WINDOW_SECONDS: "120",
        });
        assert.deepEqual([...(config.domains ?? [])], ["orders", "inventory"]);
        assert.equal(config.startWindowMs, 120_000);
        assert.throws(
            () => crawlerTriggerConfigFromEnv({ GLUE_CRAWLER_PREFIX: "p-", CRAWLER_DOMAINS: "Orders/x" }),
            /not a valid domain name/,
        );
        // Set but empty: no crawler exists yet, so every raw/ object is ignored rather than sent to the DLQ.
        assert.deepEqual([...crawlerTriggerConfigFromEnv({ GLUE_CRAWLER_PREFIX: "p-", CRAWLER_DOMAINS: "" }).domains!], []);
        assert.equal(crawlerTriggerConfigFromEnv({ GLUE_CRAWLER_PREFIX: "p-" }).domains, undefined);
    });
});
