// Runs the CrossGuard policy pack the way the Pulumi CLI does: the pack's entry file in its own analyzer process
// (@pulumi/pulumi's run-policy-pack, which the CLI's pulumi-analyzer-policy plugin launches; engine/analyzerProcess.ts),
// spoken to over the analyzer gRPC protocol (stubs shipped in @pulumi/pulumi/proto; engine/analyzerClient.ts). Every
// resource goes through Analyze — with its resource options, without which the pack answers that a newer CLI is
// required — and the whole stack once through AnalyzeStack. Prints nothing; returns data.
//
//   const session = await startPolicyAnalyzer(packDir);          // spawns now; start it while the program runs
//   try { const report = await session.analyze(resources, { project, stack, config, dryRun }); }
//   finally { await session.stop(); }                           // kills the child by PID; safe to call twice
import * as fs from "fs";
import * as path from "path";
import type * as grpc from "@grpc/grpc-js";
import { beginAnalysis, connectAnalyzer, RawConfig } from "./analyzerClient";
import { PolicyAnalyzerError, PolicyConfigError } from "./analyzerErrors";
import { spawnAnalyzer } from "./analyzerProcess";
import type { PlannedResource, PolicyReport } from "./types";

export { analyzerProperties } from "./analyzerClient";
export { PolicyAnalyzerError, PolicyConfigError } from "./analyzerErrors";

export interface AnalyzeContext {
    project: string;
    stack: string;
    /** Stack config, `<namespace>:<key>` -> string value (objects JSON-encoded), as the CLI holds it. */
    config: Record<string, string>;
    dryRun: boolean;
    /** Organization name sent in ConfigureStack; defaults to "organization" (the local backend's). */
    organization?: string;
}

/** One stack's analysis, fed resource by resource as the program registers them (as the CLI does). */
export interface StreamingAnalysis {
    /** Sends one resource's Analyze request now; its diagnostics are collected for {@link finish}. */
    add(resource: PlannedResource): void;
    /** Runs AnalyzeStack over all the resources, waits for every Analyze, and returns the report. */
    finish(resources: PlannedResource[]): Promise<PolicyReport>;
}

export interface AnalyzerSession {
    /** PID of the analyzer process. */
    readonly pid: number;
    analyze(resources: PlannedResource[], ctx: AnalyzeContext): Promise<PolicyReport>;
    /** Starts a streaming analysis: resources are analysed while the program is still being evaluated. */
    begin(ctx: AnalyzeContext): StreamingAnalysis;
    /** Stops the analyzer process (by PID) and closes the connection. Idempotent; safe after errors. */
    stop(): Promise<void>;
}

export interface StartOptions {
    /**
     * Pack config in `--policy-pack-config` format (`{ "<policy>": "<level>" | { enforcementLevel?, ...props } }`).
     * Defaults to `<packDir>/policy-config.json` when that file exists.
     */
    policyConfigFile?: string;
    /** Policy config the engine derives from the stack (the monthly budget), merged over the file's entries. */
    policyConfig?: Record<string, unknown>;
    /** Milliseconds to wait for the analyzer to print its port. Default 60000. */
    startTimeoutMs?: number;
}

/** Reads a `--policy-pack-config` file. Throws PolicyConfigError on unreadable or malformed files. */
export function readPolicyConfig(file: string): RawConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new PolicyConfigError(`cannot read policy pack config ${file}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new PolicyConfigError(`policy pack config ${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
        throw new PolicyConfigError(`policy pack config ${file} must be a JSON object keyed by policy name`);
    return parsed as RawConfig;
}

/**
 * Spawns the pack's analyzer process and returns the session at once; the process starts listening about a
 * second later while the caller evaluates the program, and `analyze` waits for it.
 */
export async function startPolicyAnalyzer(packDir: string, opts: StartOptions = {}): Promise<AnalyzerSession> {
    const dir = path.resolve(packDir);
    const configFile =
        opts.policyConfigFile ?? (fs.existsSync(path.join(dir, "policy-config.json")) ? path.join(dir, "policy-config.json") : undefined);
    const fileConfig = configFile ? readPolicyConfig(configFile) : undefined; // config errors surface before spawning
    const rawConfig = opts.policyConfig && Object.keys(opts.policyConfig).length ? { ...fileConfig, ...opts.policyConfig } : fileConfig;

    const proc = spawnAnalyzer(dir, opts.startTimeoutMs ?? 60000);
    let stopped = false;
    let client: grpc.Client | undefined;
    const stop = async () => {
        if (stopped) return proc.kill();
        stopped = true;
        try {
            client?.close();
        } catch {
            /* ignore */
        }
        await proc.kill();
    };

    const ready = proc.port.then((port) => {
        if (stopped) throw new PolicyAnalyzerError("the policy analyzer session was stopped");
        return connectAnalyzer(port, dir, rawConfig, configFile, (c) => {
            client = c;
        });
    });
    ready.catch(() => undefined); // observed in analyze()

    const hooks = { ready, stopped: () => stopped, failure: proc.failure, exitNote: proc.exitNote };
    const begin = (ctx: AnalyzeContext): StreamingAnalysis => beginAnalysis(hooks, ctx);
    const analyze = (resources: PlannedResource[], ctx: AnalyzeContext): Promise<PolicyReport> => begin(ctx).finish(resources);

    return { pid: proc.pid, analyze, begin, stop };
}
