// Lambda entry point of the recently-viewed consumer (Kinesis event source mapping with ReportBatchItemFailures).
import type { KinesisStreamHandler } from "aws-lambda";
import { createLogger } from "../lib/logger";
import { createRedis, redisConfigFromEnv } from "../lib/redis";
import { createRecentlyViewedHandler, recentlyViewedConfigFromEnv } from "./recently-viewed";

const logger = createLogger("recently-viewed");
const processBatch = createRecentlyViewedHandler({
    redis: createRedis(redisConfigFromEnv(process.env), logger),
    logger,
    ...recentlyViewedConfigFromEnv(process.env),
});

export const handler: KinesisStreamHandler = async (event, context) => {
    logger.addContext(context);
    const { batchItemFailures } = await processBatch(event);
    return { batchItemFailures };
};
