// Lambda entry point of the inventory handler (SQS event source mapping with ReportBatchItemFailures).
import type { SQSHandler } from "aws-lambda";
import { optionalEnv } from "../lib/config";
import { createPool, databaseConfigFromEnv } from "../lib/db";
import { createLogger } from "../lib/logger";
import { HANDLER_DATABASE_ROLE } from "../migration-runner/roles";
import { embeddedMetricSink } from "../lib/metrics";
import { createRedis, redisConfigFromEnv } from "../lib/redis";
import { createInventoryHandler, productCacheKeyTemplateFromEnv } from "./inventory";

const logger = createLogger("inventory");
const processBatch = createInventoryHandler({
    pool: createPool(databaseConfigFromEnv(process.env, HANDLER_DATABASE_ROLE.inventory), logger),
    redis: createRedis(redisConfigFromEnv(process.env), logger),
    logger,
    metrics: embeddedMetricSink(optionalEnv(process.env, "METRICS_NAMESPACE", "RetailPlatform/Handlers"), "inventory"),
    productCacheKeyTemplate: productCacheKeyTemplateFromEnv(process.env),
});

export const handler: SQSHandler = async (event, context) => {
    logger.addContext(context);
    return processBatch(event);
};
