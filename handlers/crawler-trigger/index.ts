// Lambda entry point of the crawler trigger (SQS event source mapping with ReportBatchItemFailures).
import { GlueClient } from "@aws-sdk/client-glue";
import type { SQSHandler } from "aws-lambda";
import { optionalEnv } from "../lib/config";
import { createLogger } from "../lib/logger";
import { embeddedMetricSink } from "../lib/metrics";
import { createRedis, redisConfigFromEnv } from "../lib/redis";
import { crawlerTriggerConfigFromEnv, createCrawlerTrigger } from "./crawler-trigger";

const logger = createLogger("crawler-trigger");
const processBatch = createCrawlerTrigger({
    glue: new GlueClient({}),
    redis: createRedis(redisConfigFromEnv(process.env), logger),
    logger,
    metrics: embeddedMetricSink(optionalEnv(process.env, "METRICS_NAMESPACE", "RetailPlatform/Handlers"), "crawler-trigger"),
    ...crawlerTriggerConfigFromEnv(process.env),
});

export const handler: SQSHandler = async (event, context) => {
    logger.addContext(context);
    return processBatch(event);
};
