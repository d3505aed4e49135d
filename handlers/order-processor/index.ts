// Lambda entry point of the order processor (SQS event source mapping with ReportBatchItemFailures).
// Clients are created once per execution environment and reused across invocations.
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSHandler } from "aws-lambda";
import { databaseConfigFromEnv, createPool } from "../lib/db";
import { createLogger } from "../lib/logger";
import { HANDLER_DATABASE_ROLE } from "../migration-runner/roles";
import { createOrderProcessor, orderProcessorConfigFromEnv } from "./order-processor";

const logger = createLogger("order-processor");
const config = orderProcessorConfigFromEnv(process.env);
const pool = createPool(databaseConfigFromEnv(process.env, HANDLER_DATABASE_ROLE["order-processor"]), logger);
const processBatch = createOrderProcessor({
    pool,
    s3: new S3Client({}),
    sqs: new SQSClient({}),
    logger,
    dataLakeBucket: config.dataLakeBucket,
    omsQueueUrl: config.omsQueueUrl,
});

export const handler: SQSHandler = async (event, context) => {
    logger.addContext(context);
    return processBatch(event);
};
