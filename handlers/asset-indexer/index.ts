// Lambda entry point of the asset indexer (SQS event source mapping with ReportBatchItemFailures).
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSHandler } from "aws-lambda";
import { createLogger } from "../lib/logger";
import { assetIndexerConfigFromEnv, createAssetIndexer } from "./asset-indexer";

const logger = createLogger("asset-indexer");
const processBatch = createAssetIndexer({
    s3: new S3Client({}),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    logger,
    ...assetIndexerConfigFromEnv(process.env),
});

export const handler: SQSHandler = async (event, context) => {
    logger.addContext(context);
    return processBatch(event);
};
