import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import { LOCAL_LOAD_ENV, bundleAll, bundleHandler, handlerNames } from "../../scripts/bundle-handlers";

const MAX_BUNDLE_BYTES = 300 * 1024;
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
  it("bundles every handler into one minified file within 300 KiB, leaving the AWS SDK to the runtime", async function () {
    const results = await bundleAll();
    assert.deepEqual(results.map((result) => result.name), [...handlerNames]);
    for (const result of results) {
      assert.match(result.outfile, new RegExp(`\\.build/handlers/${result.name}/index\\.js$`));
      assert.ok(result.bytes <= MAX_BUNDLE_BYTES, `${result.name} is ${result.bytes} bytes`);
      const code = readFileSync(result.outfile, "utf8");
      // SDK middleware sets this header; its absence means no SDK code was inlined.
      assert.ok(!code.includes("x-amz-user-agent"), `${result.name} does not inline the AWS SDK`);
      const sdkRequires = [...code.matchAll(/(?:require|import)\("(@aws-sdk\/[a-z0-9-]+)"\)/g)].map((match) => match[1]);
      assert.deepEqual([...new Set(sdkRequires)].sort(), expectedSdkPackages[result.name], `${result.name} requires the runtime's SDK packages`);
    }
  });

  it("produces bundles that load in a fresh Node process and export a handler", function () {
    for (const name of handlerNames) {
      const outfile = `.build/handlers/${name}/index.js`;
      // Loopback addresses only; nothing is contacted at load time (clients connect lazily or in the background).
      const output = execFileSync(process.execPath, ["-e", `const m = require(${JSON.stringify(require("path").resolve(outfile))}); process.stdout.write(typeof m.handler); process.exit(0);`], {
        env: { PATH: process.env.PATH, ...LOCAL_LOAD_ENV },
        encoding: "utf8",
      });
      assert.equal(output, "function", `${name} exports handler`);
    }
  });

  it("rejects an unknown handler name", async function () {
    await assert.rejects(bundleHandler("payments"), /unknown handler "payments"/);
  });
});
