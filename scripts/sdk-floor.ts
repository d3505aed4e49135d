// The SDK's own floor for a plan: N bare custom resources registered under the same mocks, nothing else.
// Run in a fresh process by bench-plan; prints the wall time from process start to the last registration.
import * as pulumi from "@pulumi/pulumi";
import { skipPromiseStackCapture } from "../engine/evaluate";
import { PlatformMocks } from "../engine/mocks";

class Bare extends pulumi.CustomResource {
    constructor(name: string, props: Record<string, unknown>) {
        super("bench:index:Bare", name, props);
    }
}

async function floor(count: number): Promise<void> {
    await pulumi.runtime.setMocks(new PlatformMocks("eu-west-1"), "floor", "bench", false);
    await pulumi.runtime.runInPulumiStack(async () => {
        for (let i = 0; i < count; i++) new Bare(`bare-${i}`, { index: i, label: `resource ${i}` });
        return {};
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- waitForRPCs is internal to the SDK, absent from its type declarations
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
}

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 1) {
    process.stderr.write("usage: sdk-floor <resource count> [--skip-promise-stacks]\n");
    process.exit(2);
}
// The engine's one change to the SDK's hot path, applied here too so the comparison can be made like for like.
if (process.argv.includes("--skip-promise-stacks"))
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's internal module is patched in place, so its live exports object is needed
    skipPromiseStackCapture(require("@pulumi/pulumi/runtime/debuggable"));
floor(count).then(
    () => process.exit(0),
    (err) => {
        process.stderr.write(`${err?.stack ?? err}\n`);
        process.exit(1);
    },
);
