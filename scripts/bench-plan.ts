// `npm run bench:plan`: times `plan --stack <s>` against the SDK's floor (the same number of bare resources
// registered under the same mocks), each in a fresh process, interleaved, and prints the medians and their ratio.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 7);
const stack = process.argv[2] ?? "production";

function timed(args: string[]): number {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return ms;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

const jsonFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-")), "plan.json");
timed(["engine/cli.js", "--stack", stack, "--no-policy", "--json", jsonFile]); // warm the file cache
const count = JSON.parse(fs.readFileSync(jsonFile, "utf8")).resources.length;

const variants: Record<string, string[]> = {
    "plan (no policy)": ["engine/cli.js", "--stack", stack, "--no-policy"],
    "plan (with policy pack)": ["engine/cli.js", "--stack", stack],
    "SDK floor": ["-r", "./engine/register.js", "scripts/sdk-floor.ts", String(count)],
    "SDK floor, engine's patch": ["-r", "./engine/register.js", "scripts/sdk-floor.ts", String(count), "--skip-promise-stacks"],
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(variants)) {
        try {
            times[name].push(timed(args));
        } catch (err) {
            if (name.includes("policy pack"))
                times[name].push(NaN); // a plan with mandatory violations exits 1
            else throw err;
        }
    }
}
const floor = median(times["SDK floor"]);
console.log(`stack ${stack}: ${count} resources registered (components included), ${runs} interleaved runs each, wall time per process`);
for (const [name, values] of Object.entries(times)) {
    const m = median(values);
    console.log(
        `  ${name.padEnd(27)} median ${m.toFixed(0).padStart(5)} ms  (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})  ratio to floor ${(m / floor).toFixed(2)}`,
    );
}
