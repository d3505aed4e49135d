// Every planned Lambda function's environment, fed to its handler's own config readers: the variables the
// infrastructure sets (stacks/events.ts, stacks/clickstream.ts) and the ones the handler reads (handlers/*/env.ts)
// cannot drift apart without this failing.
import { strict as assert } from "assert";
import { assetIndexerConfigFromEnv } from "../../handlers/asset-indexer/asset-indexer";
import { ASSET_INDEXER_ENV } from "../../handlers/asset-indexer/env";
import { crawlerTriggerConfigFromEnv } from "../../handlers/crawler-trigger/crawler-trigger";
import { CRAWLER_TRIGGER_ENV } from "../../handlers/crawler-trigger/env";
import { INVENTORY_ENV } from "../../handlers/inventory/env";
import { productCacheKeyTemplateFromEnv } from "../../handlers/inventory/inventory";
import { Env } from "../../handlers/lib/config";
import { databaseConfigFromEnv } from "../../handlers/lib/db";
import { DATABASE_ENV, REDIS_ENV } from "../../handlers/lib/env";
import { redisConfigFromEnv } from "../../handlers/lib/redis";
import { NOTIFICATION_ENV } from "../../handlers/notification/env";
import { notificationConfigFromEnv } from "../../handlers/notification/notification";
import { ORDER_PROCESSOR_ENV } from "../../handlers/order-processor/env";
import { orderProcessorConfigFromEnv } from "../../handlers/order-processor/order-processor";
import { RECENTLY_VIEWED_ENV } from "../../handlers/recently-viewed/env";
import { recentlyViewedConfigFromEnv } from "../../handlers/recently-viewed/recently-viewed";
import { TRENDING_ENV } from "../../handlers/trending-products/env";
import { trendingConfigFromEnv } from "../../handlers/trending-products/trending-products";
import { HandlerName, handlerNames } from "../../components/handlerBundle";
import { ofType, planOf, PlanJson } from "../support/plan";

/** Variables read by the runtime and libraries rather than by a handler's config readers. */
const RUNTIME_VARIABLES = ["POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL", "NODE_EXTRA_CA_CERTS"];

/** Each handler: the variables it reads, and what its entry point (index.ts) does with its environment at init. */
const HANDLERS: Record<HandlerName, { reads: object[]; init: (env: Env) => unknown }> = {
    "order-processor": {
        reads: [DATABASE_ENV, ORDER_PROCESSOR_ENV],
        init: (env) => ({ ...orderProcessorConfigFromEnv(env), database: databaseConfigFromEnv(env, "order_processor_lambda") }),
    },
    inventory: {
        reads: [DATABASE_ENV, REDIS_ENV, INVENTORY_ENV],
        init: (env) => ({
            database: databaseConfigFromEnv(env, "inventory_lambda"),
            redis: redisConfigFromEnv(env),
            productCacheKeyTemplate: productCacheKeyTemplateFromEnv(env),
        }),
    },
    notification: {
        reads: [REDIS_ENV, NOTIFICATION_ENV],
        init: (env) => ({ ...notificationConfigFromEnv(env), redis: redisConfigFromEnv(env) }),
    },
    "crawler-trigger": {
        reads: [REDIS_ENV, CRAWLER_TRIGGER_ENV],
        init: (env) => ({ ...crawlerTriggerConfigFromEnv(env), redis: redisConfigFromEnv(env) }),
    },
    "asset-indexer": { reads: [ASSET_INDEXER_ENV], init: (env) => assetIndexerConfigFromEnv(env) },
    "recently-viewed": {
        reads: [REDIS_ENV, RECENTLY_VIEWED_ENV],
        init: (env) => ({ ...recentlyViewedConfigFromEnv(env), redis: redisConfigFromEnv(env) }),
    },
    "trending-products": {
        reads: [REDIS_ENV, TRENDING_ENV],
        init: (env) => ({ ...trendingConfigFromEnv(env), redis: redisConfigFromEnv(env) }),
    },
};

for (const stack of ["staging", "production"]) {
    describe(`planned handler environments (${stack})`, function () {
        let plan: PlanJson;
        const environmentOf = (handler: HandlerName): Record<string, string> => {
            const fn = ofType(plan, "aws:lambda/function:Function").find((f) => f.name === `retail-platform-${stack}-${handler}-function`);
            assert.ok(fn, `no planned function for handler ${handler}`);
            return fn.inputs.environment.variables;
        };
        before(function () {
            this.timeout(120_000);
            plan = planOf(stack);
        });

        it("plans one function per handler, and no function from an unknown handler", () => {
            const planned = ofType(plan, "aws:lambda/function:Function")
                .map((f) => f.inputs.environment?.variables?.POWERTOOLS_SERVICE_NAME)
                .filter(Boolean)
                .sort();
            assert.deepStrictEqual(planned, [...handlerNames].sort());
        });

        for (const handler of handlerNames) {
            it(`${handler}: its config readers accept the planned environment, which sets only what it reads`, () => {
                const variables = environmentOf(handler);
                // Lambda sets AWS_REGION itself.
                const config = HANDLERS[handler].init({ ...variables, AWS_REGION: plan.outputs.region });
                assert.ok(config);
                const reads = new Set(HANDLERS[handler].reads.flatMap((names) => Object.values(names) as string[]));
                const unread = Object.keys(variables).filter((v) => !reads.has(v) && !RUNTIME_VARIABLES.includes(v));
                assert.deepStrictEqual(unread, [], `the infrastructure sets variables ${handler} does not read`);
            });
        }

        it("tells the handlers the values the platform exports", () => {
            const orders = orderProcessorConfigFromEnv(environmentOf("order-processor"));
            assert.equal(orders.dataLakeBucket, plan.outputs.buckets.dataLake);
            assert.equal(orders.omsQueueUrl, plan.outputs.events.omsQueueUrl);
            assert.equal(databaseConfigFromEnv(environmentOf("inventory"), "x").host, plan.outputs.database.writerEndpoint);
            assert.equal(redisConfigFromEnv(environmentOf("notification")).host, plan.outputs.cacheEndpoint);
            assert.equal(redisConfigFromEnv(environmentOf("notification")).tls, true);
            assert.equal(notificationConfigFromEnv(environmentOf("notification")).topicArn, plan.outputs.events.notificationsTopicArn);
            assert.equal(assetIndexerConfigFromEnv(environmentOf("asset-indexer")).tableName, plan.outputs.tables.assetIndex);
            const crawler = crawlerTriggerConfigFromEnv(environmentOf("crawler-trigger"));
            // The trigger starts exactly the crawlers the analytics tier declares.
            assert.deepStrictEqual(
                [...crawler.domains!].map((d) => `${crawler.crawlerNamePrefix}${d}`),
                plan.outputs.analytics.crawlerNames,
            );
        });
    });
}
