// Lambda entry point of the trending-products consumer (Kinesis event source mapping with a tumbling window).
import type { KinesisStreamTumblingWindowHandler } from "aws-lambda";
import { createLogger } from "../lib/logger";
import { createRedis, redisConfigFromEnv } from "../lib/redis";
import { createTrendingHandler, trendingConfigFromEnv, type TrendingEvent } from "./trending-products";

const logger = createLogger("trending-products");
const processWindow = createTrendingHandler({
    redis: createRedis(redisConfigFromEnv(process.env), logger),
    logger,
    ...trendingConfigFromEnv(process.env),
});

export const handler: KinesisStreamTumblingWindowHandler = async (event, context) => {
    logger.addContext(context);
    return processWindow(event as TrendingEvent);
};
