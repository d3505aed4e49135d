import { strict as assert } from "assert";
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectTaggingCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import {
    assetIndexerConfigFromEnv,
    createAssetIndexer,
    imageTypeOf,
    type AssetIndexerDeps,
} from "../../handlers/asset-indexer/asset-indexer";
import { eventBridgeEvent, fakeLambdaContext, RecordingLogger, sqsEvent, sqsRecord } from "../support/messages";

const BUCKET = "retail-assets-test";
const TABLE = "asset-index-test";

function objectCreated(key: string, time = "2026-03-14T12:00:00Z"): string {
    return JSON.stringify(
        eventBridgeEvent(
            "Object Created",
            {
                version: "0",
                bucket: { name: BUCKET },
                object: { key, size: 48_213, etag: "abc123", "version-id": "v1" },
                reason: "PutObject",
            },
            { time },
        ),
    );
}

describe("asset-indexer handler", function () {
    const s3Mock = mockClient(S3Client);
    const dynamoMock = mockClient(DynamoDBDocumentClient);
    let deps: AssetIndexerDeps;

    after(function () {
        s3Mock.restore();
        dynamoMock.restore();
    });

    beforeEach(function () {
        s3Mock.reset();
        dynamoMock.reset();
        s3Mock.on(GetObjectTaggingCommand).resolves({
            TagSet: [
                { Key: "colour", Value: "red" },
                { Key: "angle", Value: "front" },
            ],
        });
        dynamoMock.on(PutCommand).resolves({});
        deps = {
            s3: new S3Client({ region: "eu-west-1" }),
            dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region: "eu-west-1" })),
            logger: new RecordingLogger().asHandlerLogger(),
            tableName: TABLE,
        };
    });

    it("indexes a product image under its SKU (partition key) and S3 key (sort key)", async function () {
        const response = await createAssetIndexer(deps)(sqsEvent([sqsRecord(objectCreated("images/products/SKU-123/hero.webp"))]));
        assert.deepEqual(response.batchItemFailures, []);
        const [call] = dynamoMock.commandCalls(PutCommand);
        assert.equal(call.args[0].input.TableName, TABLE);
        assert.deepEqual(call.args[0].input.Item, {
            sku: "SKU-123",
            s3Key: "images/products/SKU-123/hero.webp",
            imageType: "hero",
            format: "webp",
            tags: { colour: "red", angle: "front" },
            uploadedAt: "2026-03-14T12:00:00.000Z",
            bucket: BUCKET,
            sizeBytes: 48_213,
            etag: "abc123",
            versionId: "v1",
        });
        assert.equal(call.args[0].input.ConditionExpression, "attribute_not_exists(sku) OR uploadedAt <= :uploadedAt");
        const tagging = s3Mock.commandCalls(GetObjectTaggingCommand)[0].args[0].input;
        assert.deepEqual(tagging, { Bucket: BUCKET, Key: "images/products/SKU-123/hero.webp", VersionId: "v1" });
    });

    it("decodes URL-encoded keys and derives the image type from the file name", async function () {
        await createAssetIndexer(deps)(sqsEvent([sqsRecord(objectCreated("images/products/SKU-9/gallery-2+large.JPG"))]));
        const item = dynamoMock.commandCalls(PutCommand)[0].args[0].input.Item as Record<string, unknown>;
        assert.equal(item.s3Key, "images/products/SKU-9/gallery-2 large.JPG");
        assert.equal(item.format, "jpg");
        assert.equal(imageTypeOf("gallery-2.jpg"), "gallery");
        assert.equal(imageTypeOf("thumb_10.png"), "thumb");
        assert.equal(imageTypeOf("Hero.webp"), "hero");
    });

    it("treats an older upload redelivered late as success without overwriting the newer item", async function () {
        dynamoMock
            .on(PutCommand)
            .rejects(new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} }));
        const response = await createAssetIndexer(deps)(
            sqsEvent([sqsRecord(objectCreated("images/products/SKU-1/hero.png", "2026-01-01T00:00:00Z"))]),
        );
        assert.deepEqual(response.batchItemFailures, []);
    });

    it("ignores objects that are not product images, and ones deleted before indexing", async function () {
        s3Mock.on(GetObjectTaggingCommand).rejects(new NoSuchKey({ message: "gone", $metadata: {} }));
        const records = [
            sqsRecord(objectCreated("images/banners/spring.jpg")),
            sqsRecord(objectCreated("images/products/SKU-1/spec.pdf")),
            sqsRecord(objectCreated("images/products/SKU-1/deleted.jpg")),
        ];
        const response = await createAssetIndexer(deps)(sqsEvent(records));
        assert.deepEqual(response.batchItemFailures, []);
        assert.equal(dynamoMock.commandCalls(PutCommand).length, 0);
    });

    it("fails invalid SKUs, malformed messages and DynamoDB errors without affecting the rest of the batch", async function () {
        dynamoMock.on(PutCommand, { Item: { sku: "SKU-THROTTLED" } as never }).rejects(new Error("ProvisionedThroughputExceededException"));
        const badSku = sqsRecord(objectCreated("images/products/bad sku!/hero.jpg"));
        const malformed = sqsRecord(JSON.stringify(eventBridgeEvent("Object Created", { bucket: { name: BUCKET }, object: {} })));
        const throttled = sqsRecord(objectCreated("images/products/SKU-THROTTLED/hero.jpg"));
        const good = sqsRecord(objectCreated("images/products/SKU-OK/hero.jpg"));
        const response = await createAssetIndexer(deps)(sqsEvent([badSku, malformed, throttled, good]));
        assert.deepEqual(
            response.batchItemFailures.map((failure) => failure.itemIdentifier).sort(),
            [badSku, malformed, throttled].map((record) => record.messageId).sort(),
        );
        assert.ok(dynamoMock.commandCalls(PutCommand).some((call) => (call.args[0].input.Item as { sku: string }).sku === "SKU-OK"));
    });

    it("runs through the Lambda entry point configured from environment variables", async function () {
        assert.throws(() => assetIndexerConfigFromEnv({}), /ASSET_INDEX_TABLE is required/);
        const saved = { ...process.env };
        Object.assign(process.env, { ASSET_INDEX_TABLE: TABLE, AWS_REGION: "eu-west-1", POWERTOOLS_LOG_LEVEL: "SILENT" });
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry point reads its environment when loaded, so it loads after the env is set
            const { handler } = require("../../handlers/asset-indexer/index") as typeof import("../../handlers/asset-indexer/index");
            const response = await handler(
                sqsEvent([sqsRecord(objectCreated("images/products/SKU-E/hero.jpg"))]),
                fakeLambdaContext,
                () => undefined,
            );
            assert.deepEqual(response, { batchItemFailures: [] });
            assert.equal(dynamoMock.commandCalls(PutCommand)[0].args[0].input.TableName, TABLE);
        } finally {
            process.env = saved;
        }
    });
});
