import { GetObjectTaggingCommand, type S3Client } from "@aws-sdk/client-s3";
import { PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { processSqsBatch } from "../lib/batch";
import { requireEnv, type Env } from "../lib/config";
import { InvalidMessageError } from "../lib/errors";
import { parseEventBridgeBody } from "../lib/eventbridge";
import { decodeS3Key, s3ObjectCreatedSchema, skuSchema } from "../lib/events";
import type { HandlerLogger } from "../lib/logger";
import { ASSET_INDEXER_ENV } from "./env";

// Asset indexer: S3 "Object Created" events for the asset bucket. A product image uploaded under
// images/products/{sku}/ is indexed in DynamoDB so the storefront finds a SKU's images with one
// Query instead of listing S3.
//
// Table key schema (the table must be created to match):
//   partition key  sku    (S)   all images of a product in one item collection
//   sort key       s3Key  (S)   one item per object; re-uploading the same key overwrites its item
// Item: { sku, s3Key, imageType, format, tags, uploadedAt, bucket, sizeBytes?, etag?, versionId? }
//   imageType  from the file name: hero.webp -> "hero", gallery-2.jpg -> "gallery"
//   tags       the object's S3 tags (map), as set by the uploader (DAM)
//   uploadedAt the event time (ISO 8601); a late redelivery of an older upload never overwrites a newer one
// Deleting an object does not remove its item (Object Deleted is not routed here).

export const assetIndexerDetailSchemas = { "Object Created": s3ObjectCreatedSchema };

const PRODUCT_IMAGE_KEY = /^images\/products\/([^/]+)\/(?:.+\/)?([^/]+)$/;
const IMAGE_FORMATS = new Set(["jpg", "jpeg", "png", "webp", "gif", "avif", "svg"]);

export interface AssetIndexerDeps {
    s3: S3Client;
    dynamo: DynamoDBDocumentClient;
    logger: HandlerLogger;
    tableName: string;
}

export interface AssetIndexItem {
    sku: string;
    s3Key: string;
    imageType: string;
    format: string;
    tags: Record<string, string>;
    uploadedAt: string;
    bucket: string;
    sizeBytes?: number;
    etag?: string;
    versionId?: string;
}

export type AssetIndexerOutcome =
    { kind: "indexed"; item: AssetIndexItem } | { kind: "stale"; s3Key: string } | { kind: "ignored"; s3Key: string; reason: string };

/** Image type from the file name: the part before the extension, without a trailing -N / _N counter. */
export function imageTypeOf(fileName: string): string {
    const base = fileName.replace(/\.[^.]*$/, "").toLowerCase();
    return base.replace(/[-_]\d+$/, "") || base;
}

export function createAssetIndexer(deps: AssetIndexerDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
    return (event) => processSqsBatch(event, (record) => processAssetRecord(record, deps), deps.logger);
}

export async function processAssetRecord(record: SQSRecord, deps: AssetIndexerDeps): Promise<AssetIndexerOutcome> {
    const { detail, envelope } = parseEventBridgeBody(record.body, assetIndexerDetailSchemas);
    const s3Key = decodeS3Key(detail.object.key);
    const match = PRODUCT_IMAGE_KEY.exec(s3Key);
    if (!match) return { kind: "ignored", s3Key, reason: "not under images/products/{sku}/" };
    const [, sku, fileName] = match;
    if (!skuSchema.safeParse(sku).success) {
        throw new InvalidMessageError(`object ${s3Key} is under images/products/ but ${JSON.stringify(sku)} is not a valid SKU`);
    }
    const format = (/\.([^.]+)$/.exec(fileName)?.[1] ?? "").toLowerCase();
    if (!IMAGE_FORMATS.has(format)) return { kind: "ignored", s3Key, reason: `not an image file (${format || "no extension"})` };

    const versionId = detail.object["version-id"];
    let tags: Record<string, string>;
    try {
        const tagging = await deps.s3.send(new GetObjectTaggingCommand({ Bucket: detail.bucket.name, Key: s3Key, VersionId: versionId }));
        tags = Object.fromEntries((tagging.TagSet ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
    } catch (error) {
        const name = (error as { name?: string }).name;
        // Deleted before we got here: indexing it would point shoppers at a missing image.
        if (name === "NoSuchKey" || name === "NoSuchVersion") return { kind: "ignored", s3Key, reason: "object no longer exists" };
        throw error;
    }

    const item: AssetIndexItem = {
        sku,
        s3Key,
        imageType: imageTypeOf(fileName),
        format,
        tags,
        uploadedAt: new Date(envelope.time).toISOString(),
        bucket: detail.bucket.name,
        ...(detail.object.size !== undefined ? { sizeBytes: detail.object.size } : {}),
        ...(detail.object.etag ? { etag: detail.object.etag } : {}),
        ...(versionId ? { versionId } : {}),
    };
    try {
        await deps.dynamo.send(
            new PutCommand({
                TableName: deps.tableName,
                Item: item,
                ConditionExpression: "attribute_not_exists(sku) OR uploadedAt <= :uploadedAt",
                ExpressionAttributeValues: { ":uploadedAt": item.uploadedAt },
            }),
        );
    } catch (error) {
        if ((error as { name?: string }).name === "ConditionalCheckFailedException") return { kind: "stale", s3Key };
        throw error;
    }
    return { kind: "indexed", item };
}

/**
 * Environment variables:
 *   ASSET_INDEX_TABLE  name of the DynamoDB asset-index table (required; key schema above)
 */
export function assetIndexerConfigFromEnv(env: Env): { tableName: string } {
    return { tableName: requireEnv(env, ASSET_INDEXER_ENV.tableName) };
}
