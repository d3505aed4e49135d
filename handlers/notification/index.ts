// Lambda entry point of the notification handler (SQS event source mapping with ReportBatchItemFailures).
import { SNSClient } from "@aws-sdk/client-sns";
import type { SQSHandler } from "aws-lambda";
import { createLogger } from "../lib/logger";
import { createRedis, redisConfigFromEnv } from "../lib/redis";
import { createNotificationHandler, notificationConfigFromEnv } from "./notification";

const logger = createLogger("notification");
const config = notificationConfigFromEnv(process.env);
const processBatch = createNotificationHandler({
    sns: new SNSClient({}),
    redis: createRedis(redisConfigFromEnv(process.env), logger),
    logger,
    ...config,
});

export const handler: SQSHandler = async (event, context) => {
    logger.addContext(context);
    return processBatch(event);
};
