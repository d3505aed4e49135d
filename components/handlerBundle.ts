// Bundles each Lambda handler into one minified CommonJS file for the Node.js 22 runtime (arm64):
// .build/handlers/<name>/index.js, which the program zips into the function's asset archive (HandlerFunction's
// `code`). The AWS SDK v3 packages the handlers use are bundled too: the runtime's copy is whatever AWS ships (and it
// does not document shipping every package, e.g. @aws-sdk/rds-signer), not the version the tests ran against.
// `scripts/bundle-handlers.ts` runs the same from the command line.
import type { BuildOptions } from "esbuild";
import { existsSync, readFileSync, statSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { ASSET_INDEXER_ENV } from "../handlers/asset-indexer/env";
import { CRAWLER_TRIGGER_ENV } from "../handlers/crawler-trigger/env";
import { DATABASE_ENV, REDIS_ENV } from "../handlers/lib/env";
import { NOTIFICATION_ENV } from "../handlers/notification/env";
import { ORDER_PROCESSOR_ENV } from "../handlers/order-processor/env";

export const handlerNames = [
    "order-processor",
    "inventory",
    "notification",
    "crawler-trigger",
    "asset-indexer",
    "recently-viewed",
    "trending-products",
] as const;
export type HandlerName = (typeof handlerNames)[number];

const repoRoot = resolve(__dirname, "..");
export const handlersBuildDir = join(repoRoot, ".build", "handlers");

export interface BundleResult {
    name: HandlerName;
    outfile: string;
    bytes: number;
}

/**
 * Environment under which every handler bundle loads locally without AWS (loopback addresses only; nothing is
 * contacted at load time): for load tests and require-time measurements.
 */
export const LOCAL_LOAD_ENV: Readonly<Record<string, string>> = {
    AWS_REGION: "eu-west-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    [DATABASE_ENV.host]: "127.0.0.1",
    [DATABASE_ENV.name]: "retail",
    [DATABASE_ENV.auth]: "trust",
    [DATABASE_ENV.ssl]: "disable",
    [REDIS_ENV.host]: "127.0.0.1",
    [REDIS_ENV.port]: "1",
    [REDIS_ENV.tls]: "false",
    [ORDER_PROCESSOR_ENV.dataLakeBucket]: "lake",
    [ORDER_PROCESSOR_ENV.omsQueueUrl]: "https://sqs.eu-west-1.amazonaws.com/123456789012/oms.fifo",
    [NOTIFICATION_ENV.topicArn]: "arn:aws:sns:eu-west-1:123456789012:notify",
    [CRAWLER_TRIGGER_ENV.crawlerNamePrefix]: "retail-raw-",
    [ASSET_INDEXER_ENV.tableName]: "assets",
};

export function isHandlerName(name: string): name is HandlerName {
    return (handlerNames as readonly string[]).includes(name);
}

/**
 * esbuild options of a handler's bundle. `externalSdk` builds exactly as earlier builds did (@aws-sdk/* left to the
 * runtime, esbuild's default main fields): only the benchmark builds that variant, to compare cold starts.
 */
export function handlerBuildOptions(name: HandlerName, outfile: string, externalSdk = false): BuildOptions & { outfile: string } {
    const entryPoint = join(repoRoot, "handlers", name, "index.ts");
    if (!existsSync(entryPoint)) throw new Error(`handler entry point ${entryPoint} does not exist`);
    return {
        entryPoints: [entryPoint],
        outfile,
        bundle: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        // The ES module builds first (the SDK v3 and Powertools ship both): esbuild tree-shakes those, a quarter to a third
        // of the SDK's size; packages without one (pg, ioredis) fall back to main.
        ...(externalSdk ? {} : { mainFields: ["module", "main"] }),
        minify: true,
        sourcemap: false,
        legalComments: "none",
        // pg-native is pg's optional native binding, never used; @aws-sdk/signature-v4-crt the S3 client's optional CRT
        // signer, required inside a try/catch only for SigV4a (multi-region access points), which no handler uses.
        external: externalSdk ? ["@aws-sdk/*", "pg-native"] : ["pg-native", "@aws-sdk/signature-v4-crt"],
        logLevel: "silent",
    };
}

export async function bundleHandler(name: string): Promise<BundleResult> {
    if (!isHandlerName(name)) throw new Error(`unknown handler ${JSON.stringify(name)}; expected one of ${handlerNames.join(", ")}`);
    const outfile = join(handlersBuildDir, name, "index.js");
    await buildUnlessCurrent(handlerBuildOptions(name, outfile), `bundling ${name}`);
    return { name, outfile, bytes: statSync(outfile).size };
}

/**
 * Builds `options` unless its output is current: the previous build's inputs (every source and node_modules file
 * esbuild read, from its metafile) are unchanged in size and mtime and the options are the same. Plans call this for
 * every handler; re-bundling unchanged code cost half a second each time.
 */
export async function buildUnlessCurrent(options: BuildOptions & { outfile: string }, what: string): Promise<void> {
    const stampFile = `${options.outfile}.inputs.json`;
    const optionsKey = JSON.stringify(options);
    const fingerprint = (files: string[]) =>
        files.map((f) => {
            const st = statSync(join(repoRoot, f), { throwIfNoEntry: false });
            return st ? `${f}:${st.size}:${st.mtimeMs}` : `${f}:missing`;
        });
    try {
        const stamp = JSON.parse(readFileSync(stampFile, "utf8")) as { options: string; inputs: string[]; fingerprint: string[] };
        if (
            existsSync(options.outfile) &&
            stamp.options === optionsKey &&
            JSON.stringify(fingerprint(stamp.inputs)) === JSON.stringify(stamp.fingerprint)
        )
            return;
    } catch {
        // No stamp yet, or an unreadable one: build.
    }
    // Loaded only when something must be built: a plan whose bundles are current never loads esbuild.
    const { build } = await import("esbuild");
    const result = await build({ ...options, absWorkingDir: repoRoot, metafile: true });
    if (result.errors.length > 0) throw new Error(`${what} failed: ${result.errors.map((error) => error.text).join("; ")}`);
    const inputs = Object.keys(result.metafile!.inputs).sort();
    writeFileSync(stampFile, JSON.stringify({ options: optionsKey, inputs, fingerprint: fingerprint(inputs) }));
}

/**
 * The migration runner's container entry (not a Lambda): `.build/migration-runner/index.js`, pg included, for the
 * image `handlers/migration-runner/Dockerfile` builds. Migrations are copied beside it by the Dockerfile.
 */
export async function bundleMigrationRunner(): Promise<{ outfile: string; bytes: number }> {
    const outfile = join(repoRoot, ".build", "migration-runner", "index.js");
    await buildUnlessCurrent(
        {
            entryPoints: [join(repoRoot, "handlers", "migration-runner", "index.ts")],
            outfile,
            bundle: true,
            platform: "node",
            target: "node22",
            format: "cjs",
            minify: true,
            legalComments: "none",
            external: ["pg-native"],
            logLevel: "silent",
        },
        "bundling the migration runner",
    );
    return { outfile, bytes: statSync(outfile).size };
}

export async function bundleAll(): Promise<BundleResult[]> {
    return Promise.all(handlerNames.map((name) => bundleHandler(name)));
}
