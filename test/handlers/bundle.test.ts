import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { LOCAL_LOAD_ENV, bundleAll, bundleHandler, handlerNames } from "../../components/handlerBundle";

// With the AWS SDK packages inside, the bundles are 0.5-0.6 MiB minified (Lambda's limit: 50 MB zipped).
const MAX_BUNDLE_BYTES = 768 * 1024;
// What each Kinesis consumer answers for one non-JSON record (sequence number 49): skipped, nothing reported; the
// tumbling-window consumer carries its (empty) window state on, positioned after the record.
const KINESIS_POISON_RESPONSE: Record<string, string> = {
    "recently-viewed": `function {"batchItemFailures":[]}`,
    "trending-products": `function {"state":{"counts":{},"lastSequence":"49","firstSequence":"49"},"batchItemFailures":[]}`,
};
// The SDK packages each handler uses, now bundled (each client names itself in its user agent).
const expectedSdkPackages: Record<string, string[]> = {
    "order-processor": ["@aws-sdk/client-s3", "@aws-sdk/client-sqs", "@aws-sdk/rds-signer"],
    inventory: ["@aws-sdk/rds-signer"],
    notification: ["@aws-sdk/client-sns"],
    "crawler-trigger": ["@aws-sdk/client-glue"],
    "asset-indexer": ["@aws-sdk/client-dynamodb", "@aws-sdk/client-s3", "@aws-sdk/lib-dynamodb"],
    "recently-viewed": [],
    "trending-products": [],
};

describe("handler bundles", function () {
    it("bundles every handler with the AWS SDK packages it uses into one minified file within 768 KiB", async function () {
        const results = await bundleAll();
        assert.deepEqual(
            results.map((result) => result.name),
            [...handlerNames],
        );
        for (const result of results) {
            assert.match(result.outfile, new RegExp(`\\.build/handlers/${result.name}/index\\.js$`));
            assert.ok(result.bytes <= MAX_BUNDLE_BYTES, `${result.name} is ${result.bytes} bytes`);
            const code = readFileSync(result.outfile, "utf8");
            // Nothing is left to the runtime's copy of the SDK: no require of an @aws-sdk package survives bundling, except
            // the S3 client's optional CRT signer (SigV4a only, required inside a try/catch).
            const sdkRequires = [...code.matchAll(/(?:require|import)\("(@aws-sdk\/[a-z0-9-]+)"\)/g)].map((match) => match[1]);
            assert.deepEqual(
                sdkRequires.filter((pkg) => pkg !== "@aws-sdk/signature-v4-crt"),
                [],
                `${result.name} requires no runtime SDK package`,
            );
            // SDK middleware sets this header: the SDK code is inside where the handler uses the SDK, and only there (the
            // Kinesis consumers talk to Redis alone).
            assert.equal(
                code.includes("x-amz-user-agent"),
                expectedSdkPackages[result.name].length > 0,
                `${result.name} inlines the AWS SDK exactly when it uses it`,
            );
            // Each package the handler imports was bundled (esbuild read it from node_modules: the version the tests ran).
            const read = (JSON.parse(readFileSync(`${result.outfile}.inputs.json`, "utf8")) as { inputs: string[] }).inputs;
            for (const pkg of expectedSdkPackages[result.name]) {
                assert.ok(
                    read.some((file) => file.startsWith(`node_modules/${pkg}/`)),
                    `${result.name} bundles ${pkg}`,
                );
            }
        }
    });

    it("produces self-contained bundles that load in a fresh Node process, away from node_modules, and export a handler", function () {
        for (const name of handlerNames) {
            // Copied out of the repository: nothing can be resolved from its node_modules, as on Lambda.
            const outfile = join(mkdtempSync(join(tmpdir(), `bundle-${name}-`)), "index.js");
            copyFileSync(`.build/handlers/${name}/index.js`, outfile);
            // Loopback addresses only; nothing is contacted at load time (clients connect lazily or in the background).
            // One malformed record runs the bundled batch pipeline (Powertools, parsing) without touching a service: an SQS
            // message for the queue consumers, a Kinesis record for the stream consumers (their entry points say which).
            const kinesis = /KinesisStream\w*Handler/.test(readFileSync(`handlers/${name}/index.ts`, "utf8"));
            const record = kinesis
                ? {
                      eventSource: "aws:kinesis",
                      eventID: "shardId-000000000000:49",
                      eventName: "aws:kinesis:record",
                      eventSourceARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/s",
                      awsRegion: "eu-west-1",
                      kinesis: {
                          kinesisSchemaVersion: "1.0",
                          partitionKey: "p",
                          sequenceNumber: "49",
                          data: Buffer.from("{not json").toString("base64"),
                          approximateArrivalTimestamp: 0,
                      },
                  }
                : {
                      messageId: "m1",
                      receiptHandle: "r",
                      body: "{not json",
                      attributes: { ApproximateReceiveCount: "1" },
                      messageAttributes: {},
                      md5OfBody: "",
                      eventSource: "aws:sqs",
                      eventSourceARN: "arn:aws:sqs:eu-west-1:123456789012:q",
                      awsRegion: "eu-west-1",
                  };
            const script = `
        const m = require(${JSON.stringify(outfile)});
        const record = ${JSON.stringify(record)};
        const context = { functionName: "f", awsRequestId: "r", getRemainingTimeInMillis: () => 30000 };
        Promise.resolve(m.handler({ Records: [record] }, context)).then(
          (response) => { process.stdout.write(typeof m.handler + " " + JSON.stringify(response)); process.exit(0); },
          (error) => { process.stdout.write("threw " + error.message); process.exit(0); });`;
            const output = execFileSync(process.execPath, ["-e", script], {
                env: { PATH: process.env.PATH, ...LOCAL_LOAD_ENV },
                encoding: "utf8",
            });
            // An SQS consumer reports the bad message for redelivery; a Kinesis consumer logs and skips it (a reported record
            // would be retried from, holding its shard back).
            assert.equal(
                output,
                kinesis ? KINESIS_POISON_RESPONSE[name] : `function {"batchItemFailures":[{"itemIdentifier":"m1"}]}`,
                `${name} exports a working handler`,
            );
        }
    });

    it("rejects an unknown handler name", async function () {
        await assert.rejects(bundleHandler("payments"), /unknown handler "payments"/);
    });
});
