// Runs the CrossGuard policy pack the way the Pulumi CLI does: the pack's entry file in its own analyzer process
// (@pulumi/pulumi's run-policy-pack, which the CLI's pulumi-analyzer-policy plugin launches), spoken to over the
// analyzer gRPC protocol (stubs shipped in @pulumi/pulumi/proto). Every resource goes through Analyze — with its
// resource options, without which the pack answers that a newer CLI is required — and the whole stack once through
// AnalyzeStack. Prints nothing; returns data.
//
//   const session = await startPolicyAnalyzer(packDir);          // spawns now; start it while the program runs
//   try { const report = await session.analyze(resources, { project, stack, config, dryRun }); }
//   finally { await session.stop(); }                           // kills the child by PID; safe to call twice
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type { PlannedResource, PolicyExemptionUse, PolicyReport, PolicyViolation, RecordedOptions } from "./types";

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

/** The pack config is malformed or asks for something the pack refuses. The plan should report it and stop. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

/** The analyzer process failed (did not start, crashed, or an RPC failed). */
export class PolicyAnalyzerError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyAnalyzerError";
    }
}

const REPO_ROOT = path.resolve(__dirname, "..");
const REGISTER = path.join(REPO_ROOT, "engine", "register.js");
const PRELOAD = path.join(REPO_ROOT, "engine", "analyzer-preload.js");
const EXEMPTIONS_POLICY = "policy-exemptions";
const NEVER_SUPPRESSIBLE_TAG = "never-suppressible";
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's unknown-value sentinel
const MAX_MESSAGE = 400 * 1024 * 1024;

const LEVELS: Record<string, analyzerpb.EnforcementLevel> = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
};
const LEVEL_NAMES: Record<number, PolicyViolation["enforcement"]> = {
    [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
    [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
};
const SEVERITY_NAMES: Record<number, PolicyViolation["severity"] | undefined> = {
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [analyzerpb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

interface PolicyMeta {
    name: string;
    enforcementLevel: analyzerpb.EnforcementLevel;
    severity?: PolicyViolation["severity"];
    description: string;
    neverSuppressible: boolean;
    configKeys: Set<string>;
}

type RawConfig = Record<string, unknown>;

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
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new PolicyConfigError(`policy pack config ${file} must be a JSON object keyed by policy name`);
    return parsed as RawConfig;
}

/**
 * Validates config against the pack's policies (as GetAnalyzerInfo describes them) and builds the Configure map,
 * like the CLI: every configured policy gets an explicit enforcement level (its default when only properties are
 * given). A never-suppressible policy cannot be set below mandatory.
 */
function buildConfigure(raw: RawConfig, policies: Map<string, PolicyMeta>, file: string): analyzerpb.ConfigureAnalyzerRequest {
    const errors: string[] = [];
    const levels = new Map<string, analyzerpb.EnforcementLevel>();
    const props = new Map<string, Record<string, unknown>>();
    const levelOf = (v: unknown, where: string): analyzerpb.EnforcementLevel | undefined => {
        if (typeof v !== "string" || !(v in LEVELS)) {
            errors.push(`${where}: enforcement level must be one of ${Object.keys(LEVELS).join(", ")}`);
            return undefined;
        }
        return LEVELS[v];
    };
    if ("all" in raw) {
        const all = levelOf(raw.all, "all");
        if (all !== undefined) for (const p of policies.keys()) levels.set(p, all);
    }
    for (const [name, value] of Object.entries(raw)) {
        if (name === "all") continue;
        const meta = policies.get(name);
        if (!meta) {
            errors.push(`unknown policy "${name}"`);
            continue;
        }
        if (typeof value === "string") {
            const l = levelOf(value, name);
            if (l !== undefined) levels.set(name, l);
            continue;
        }
        if (!value || typeof value !== "object" || Array.isArray(value)) {
            errors.push(`${name}: must be an enforcement level or an object`);
            continue;
        }
        const { enforcementLevel, ...rest } = value as Record<string, unknown>;
        if (enforcementLevel !== undefined) {
            const l = levelOf(enforcementLevel, `${name}.enforcementLevel`);
            if (l !== undefined) levels.set(name, l);
        }
        for (const k of Object.keys(rest)) if (!meta.configKeys.has(k)) errors.push(`${name}: unknown property "${k}"`);
        if (name === EXEMPTIONS_POLICY && rest.exemptions !== undefined && !Array.isArray(rest.exemptions)) errors.push(`${name}.exemptions must be a list`);
        props.set(name, rest);
    }
    for (const [name, level] of levels) {
        const meta = policies.get(name)!;
        if (meta.neverSuppressible && level !== analyzerpb.EnforcementLevel.MANDATORY && level !== meta.enforcementLevel) {
            errors.push(`${name} is never-suppressible; its enforcement level cannot be changed from mandatory`);
        }
    }
    if (errors.length) throw new PolicyConfigError(`policy pack config ${file}: ${errors.join("; ")}`);

    const req = new analyzerpb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const name of new Set([...levels.keys(), ...props.keys()])) {
        const pc = new analyzerpb.PolicyConfig();
        pc.setEnforcementlevel(levels.get(name) ?? policies.get(name)!.enforcementLevel);
        pc.setProperties(structproto.Struct.fromJavaScript((props.get(name) ?? {}) as Record<string, structproto.JavaScriptValue>));
        map.set(name, pc);
    }
    return req;
}

/** Inputs as the engine sends them: real values, with the unknown sentinel where a value is not known yet. */
export function analyzerProperties(inputs: unknown, raw: unknown): unknown {
    if (raw === undefined) {
        if (inputs === "[unknown]") return UNKNOWN_STRING;
        if (inputs === "[secret]") return undefined;
        return toPlain(inputs);
    }
    if (Array.isArray(raw)) {
        const printed = Array.isArray(inputs) ? inputs : [];
        return raw.map((v, i) => {
            const x = analyzerProperties(printed[i], v);
            return x === undefined ? null : x;
        });
    }
    if (raw !== null && typeof raw === "object" && Object.getPrototypeOf(raw) === Object.prototype) {
        const printed = inputs && typeof inputs === "object" && !Array.isArray(inputs) ? (inputs as Record<string, unknown>) : {};
        const out: Record<string, unknown> = {};
        for (const k of new Set([...Object.keys(raw), ...Object.keys(printed)])) {
            const v = analyzerProperties(printed[k], (raw as Record<string, unknown>)[k]);
            if (v !== undefined) out[k] = v;
        }
        return out;
    }
    return toPlain(raw);
}

function toPlain(v: unknown): unknown {
    if (v === undefined) return undefined;
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : null;
    try {
        return JSON.parse(JSON.stringify(v)); // assets, archives and class instances as plain data
    } catch {
        return String(v);
    }
}

function toStruct(obj: unknown): structproto.Struct {
    const plain = obj && typeof obj === "object" && !Array.isArray(obj) ? obj : {};
    return structproto.Struct.fromJavaScript(plain as Record<string, structproto.JavaScriptValue>);
}

/** "5m", "1h30m", "90s", "300" -> seconds. */
function durationSeconds(d: string | undefined): number {
    if (!d) return 0;
    if (/^\d+(\.\d+)?$/.test(d)) return Number(d);
    let total = 0;
    for (const [, n, unit] of d.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
        const x = Number(n);
        total += unit === "h" ? x * 3600 : unit === "m" ? x * 60 : unit === "s" ? x : x / 1000;
    }
    return total;
}

function resourceOptions(r: PlannedResource): analyzerpb.AnalyzerResourceOptions {
    const o: RecordedOptions = r.options;
    const opts = new analyzerpb.AnalyzerResourceOptions();
    opts.setProtect(!!o.protect);
    opts.setIgnorechangesList(o.ignoreChanges ?? []);
    opts.setDeletebeforereplace(!!o.deleteBeforeReplace);
    opts.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
    opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
    opts.setAliasesList(o.aliases ?? []);
    const ct = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
    ct.setCreate(durationSeconds(o.customTimeouts?.create));
    ct.setUpdate(durationSeconds(o.customTimeouts?.update));
    ct.setDelete(durationSeconds(o.customTimeouts?.delete));
    opts.setCustomtimeouts(ct);
    if (r.parent) opts.setParent(r.parent);
    return opts;
}

function packageOf(type: string): string {
    return type.split(":")[0];
}

/** The provider a resource uses: its explicit provider resource, or the default provider configured from stack config. */
function providerFor(r: PlannedResource, providers: Map<string, PlannedResource>, ctx: AnalyzeContext): analyzerpb.AnalyzerProviderResource | undefined {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) return undefined;
    const prov = new analyzerpb.AnalyzerProviderResource();
    const ref = r.options.provider;
    const explicit = ref ? providers.get(ref) ?? providers.get(ref.slice(0, ref.lastIndexOf("::"))) : undefined;
    if (explicit) {
        prov.setType(explicit.type);
        prov.setUrn(explicit.urn);
        prov.setName(explicit.name);
        prov.setProperties(toStruct(analyzerProperties(explicit.inputs, explicit.rawInputs)));
        return prov;
    }
    const pkg = packageOf(r.type);
    const props: Record<string, string> = {};
    for (const [k, v] of Object.entries(ctx.config)) if (k.startsWith(`${pkg}:`)) props[k.slice(pkg.length + 1)] = v;
    prov.setType(`pulumi:providers:${pkg}`);
    prov.setName("default");
    prov.setUrn(`urn:pulumi:${ctx.stack}::${ctx.project}::pulumi:providers:${pkg}::default`);
    prov.setProperties(toStruct(props));
    return prov;
}

function unary<Req, Res>(client: grpc.Client, method: string, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        (client as any)[method](req, (err: grpc.ServiceError | null, res: Res) => (err ? reject(err) : resolve(res)));
    });
}

/** Diagnostics -> the plan's report: violations (deduplicated, in pack order, then URN) and the exemptions used. */
function report(diagnostics: { d: analyzerpb.AnalyzeDiagnostic; urn: string }[], policies: Map<string, PolicyMeta>): PolicyReport {
    const violations: PolicyViolation[] = [];
    const exempted: PolicyExemptionUse[] = [];
    const seen = new Set<string>();
    for (const { d, urn } of diagnostics) {
        const policy = d.getPolicyname();
        const meta = policies.get(policy);
        let message = d.getMessage();
        const description = d.getDescription() || meta?.description || "";
        if (description && message.startsWith(`${description}\n`)) message = message.slice(description.length + 1);
        if (policy === EXEMPTIONS_POLICY) {
            const m = /^exempted ([a-z0-9][a-z0-9-]*): ([\s\S]*) \(expires (\d{4}-\d{2}-\d{2})\)$/.exec(message.trim());
            if (m) {
                const key = `x\0${m[1]}\0${urn}`;
                if (!seen.has(key)) {
                    seen.add(key);
                    exempted.push({ policy: m[1], urn, reason: m[2], expires: m[3] });
                }
                continue;
            }
        }
        const v: PolicyViolation = {
            policy,
            enforcement: LEVEL_NAMES[d.getEnforcementlevel()] ?? "advisory",
            severity: SEVERITY_NAMES[d.getSeverity()] ?? meta?.severity ?? "medium",
            urn,
            message,
        };
        const key = `${v.policy}\0${v.urn}\0${v.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        violations.push(v);
    }
    const order = [...policies.keys()];
    const rank = (p: string) => (order.indexOf(p) < 0 ? order.length : order.indexOf(p));
    violations.sort((a, b) => rank(a.policy) - rank(b.policy) || a.urn.localeCompare(b.urn) || a.message.localeCompare(b.message));
    exempted.sort((a, b) => rank(a.policy) - rank(b.policy) || a.urn.localeCompare(b.urn));
    return { violations, exempted };
}

/**
 * Spawns the pack's analyzer process and returns the session at once; the process starts listening about a
 * second later while the caller evaluates the program, and `analyze` waits for it. The child is
 *   node -r engine/register.js node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> <packDir>
 * with cwd = packDir, exactly as the CLI's policy plugin runs it; TS_NODE_IGNORE hands .ts files to the esbuild
 * loader instead of run-policy-pack's type-checking ts-node (type checking is `npm run typecheck`'s job).
 */
export async function startPolicyAnalyzer(packDir: string, opts: StartOptions = {}): Promise<AnalyzerSession> {
    const dir = path.resolve(packDir);
    const configFile = opts.policyConfigFile ?? (fs.existsSync(path.join(dir, "policy-config.json")) ? path.join(dir, "policy-config.json") : undefined);
    const fileConfig = configFile ? readPolicyConfig(configFile) : undefined; // config errors surface before spawning
    const rawConfig = opts.policyConfig && Object.keys(opts.policyConfig).length ? { ...fileConfig, ...opts.policyConfig } : fileConfig;

    const runPolicyPack = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack");
    const child: ChildProcess = spawn(process.execPath, ["-r", REGISTER, "-r", PRELOAD, runPolicyPack, "127.0.0.1:0", dir], {
        cwd: dir,
        env: { ...process.env, TS_NODE_IGNORE: "." },
        stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid === undefined) throw new PolicyAnalyzerError(`could not start the policy analyzer for ${dir}`);
    const pid = child.pid;
    const output: string[] = [];
    const remember = (chunk: Buffer) => {
        output.push(...String(chunk).split("\n").filter((l) => l.trim()));
        if (output.length > 40) output.splice(0, output.length - 40);
    };
    child.stderr!.on("data", remember);

    let exited = false;
    let exitInfo = "";
    const exitPromise = new Promise<void>((resolve) => {
        child.on("exit", (code, signal) => {
            exited = true;
            exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
            resolve();
        });
    });
    const killOnExit = () => {
        try {
            if (!exited) process.kill(pid, "SIGKILL");
        } catch {
            /* already gone */
        }
    };
    process.on("exit", killOnExit);

    let stopped = false;
    let client: grpc.Client | undefined;
    const stop = async () => {
        if (stopped) return exitPromise;
        stopped = true;
        process.removeListener("exit", killOnExit);
        try {
            client?.close();
        } catch {
            /* ignore */
        }
        if (!exited) {
            try {
                process.kill(pid, "SIGTERM");
            } catch {
                /* already gone */
            }
            const timer = setTimeout(() => {
                try {
                    if (!exited) process.kill(pid, "SIGKILL");
                } catch {
                    /* already gone */
                }
            }, 2000);
            await exitPromise;
            clearTimeout(timer);
        }
    };
    const failure = (what: string) => new PolicyAnalyzerError(`${what}${output.length ? `:\n${output.join("\n")}` : ""}`);

    const portPromise = new Promise<number>((resolve, reject) => {
        let buf = "";
        const timer = setTimeout(() => reject(failure(`the policy analyzer did not start within ${opts.startTimeoutMs ?? 60000} ms`)), opts.startTimeoutMs ?? 60000);
        child.stdout!.on("data", (chunk: Buffer) => {
            buf += String(chunk);
            const nl = buf.indexOf("\n");
            if (nl < 0) return;
            const first = buf.slice(0, nl).trim();
            clearTimeout(timer);
            child.stdout!.removeAllListeners("data");
            child.stdout!.on("data", remember);
            remember(Buffer.from(buf.slice(nl + 1)));
            const n = Number(first);
            if (Number.isInteger(n) && n > 0) resolve(n);
            else reject(failure(`the policy analyzer printed "${first}" instead of its port`));
        });
        child.on("exit", () => {
            clearTimeout(timer);
            reject(failure(`the policy analyzer exited (${exitInfo}) before listening`));
        });
    });

    // Connect, handshake (the pack's server does not implement it; the CLI tolerates that too), read the pack's
    // metadata and send its config — all before the first Analyze, while the program is still being evaluated.
    const ready = (async () => {
        const port = await portPromise;
        if (stopped) throw new PolicyAnalyzerError("the policy analyzer session was stopped");
        const Client = analyzerrpc.AnalyzerClient as unknown as new (addr: string, creds: grpc.ChannelCredentials, options: object) => grpc.Client;
        const c = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE,
            "grpc.max_send_message_length": MAX_MESSAGE,
        });
        client = c;
        const hs = new analyzerpb.AnalyzerHandshakeRequest();
        hs.setEngineAddress("127.0.0.1:0");
        hs.setRootDirectory(dir);
        hs.setProgramDirectory(dir);
        await unary(c, "handshake", hs).catch((e: grpc.ServiceError) => {
            if (e.code !== grpc.status.UNIMPLEMENTED) throw e;
        });
        const info = await unary<emptyproto.Empty, analyzerpb.AnalyzerInfo>(c, "getAnalyzerInfo", new emptyproto.Empty());
        const policies = new Map<string, PolicyMeta>();
        for (const p of info.getPoliciesList()) {
            const schema = p.getConfigschema()?.getProperties()?.toJavaScript() ?? {};
            policies.set(p.getName(), {
                name: p.getName(),
                enforcementLevel: p.getEnforcementlevel(),
                severity: SEVERITY_NAMES[p.getSeverity()],
                description: p.getDescription(),
                neverSuppressible: p.getTagsList().includes(NEVER_SUPPRESSIBLE_TAG),
                configKeys: new Set(Object.keys(schema)),
            });
        }
        if (rawConfig) await unary(c, "configure", buildConfigure(rawConfig, policies, configFile ?? "(stack budget)"));
        return { c, policies };
    })();
    ready.catch(() => undefined); // observed in analyze()

    const begin = (ctx: AnalyzeContext): StreamingAnalysis => {
        if (stopped) throw new PolicyAnalyzerError("the policy analyzer session was stopped");
        const rpcFailure = (what: string, e: unknown) => failure(`${what}: ${(e as Error).message}${exited ? ` (analyzer ${exitInfo})` : ""}`);
        // The connection and ConfigureStack, once; every Analyze waits for them.
        const configured = (async () => {
            let c: grpc.Client;
            let policies: Map<string, PolicyMeta>;
            try {
                ({ c, policies } = await ready);
            } catch (e) {
                if (e instanceof PolicyConfigError || e instanceof PolicyAnalyzerError) throw e;
                throw failure(`the policy analyzer failed to start (${(e as Error).message})`);
            }
            const sc = new analyzerpb.AnalyzerStackConfigureRequest();
            sc.setStack(ctx.stack);
            sc.setProject(ctx.project);
            sc.setOrganization(ctx.organization ?? "organization");
            sc.setDryRun(ctx.dryRun);
            for (const [k, v] of Object.entries(ctx.config)) sc.getConfigMap().set(k, v);
            sc.getTagsMap().set("pulumi:project", ctx.project);
            sc.getTagsMap().set("pulumi:runtime", "nodejs");
            await unary(c, "configureStack", sc).catch((e: grpc.ServiceError) => {
                if (e.code !== grpc.status.UNIMPLEMENTED) throw rpcFailure("ConfigureStack failed", e);
            });
            return { c, policies };
        })();
        configured.catch(() => undefined); // observed in finish()

        const providers = new Map<string, PlannedResource>();
        const props = new Map<string, structproto.Struct>();
        const propsOf = (r: PlannedResource) => {
            let st = props.get(r.urn);
            if (!st) {
                st = toStruct(analyzerProperties(r.inputs, r.rawInputs));
                props.set(r.urn, st);
            }
            return st;
        };
        const diagnostics: { d: analyzerpb.AnalyzeDiagnostic; urn: string }[] = [];
        const perResource = new Map<string, Promise<void>>();
        /** The fields an Analyze request and an AnalyzeStack resource share. */
        const describe = <T extends analyzerpb.AnalyzeRequest | analyzerpb.AnalyzerResource>(target: T, r: PlannedResource): T => {
            target.setType(r.type);
            target.setUrn(r.urn);
            target.setName(r.name);
            target.setProperties(propsOf(r));
            target.setOptions(resourceOptions(r));
            const prov = providerFor(r, providers, ctx);
            if (prov) target.setProvider(prov);
            return target;
        };

        const add = (r: PlannedResource) => {
            if (perResource.has(r.urn)) return;
            if (r.type.startsWith("pulumi:providers:")) providers.set(r.urn, r);
            const req = describe(new analyzerpb.AnalyzeRequest(), r);
            const done = configured.then(({ c }) => unary<analyzerpb.AnalyzeRequest, analyzerpb.AnalyzeResponse>(c, "analyze", req).catch((e) => {
                throw rpcFailure(`Analyze of ${r.urn} failed`, e);
            })).then((res) => {
                for (const d of res.getDiagnosticsList()) diagnostics.push({ d, urn: d.getUrn() || r.urn });
            });
            done.catch(() => undefined); // observed in finish(); a plan that fails first never calls it
            perResource.set(r.urn, done);
        };

        const finish = async (resources: PlannedResource[]): Promise<PolicyReport> => {
            if (stopped) throw new PolicyAnalyzerError("the policy analyzer session was stopped");
            for (const r of resources) add(r); // anything not streamed (and every resource of a non-streaming caller)
            const { c, policies } = await configured;
            const stackReq = new analyzerpb.AnalyzeStackRequest();
            stackReq.setResourcesList(resources.map((r) => {
                const ar = describe(new analyzerpb.AnalyzerResource(), r);
                if (r.parent) ar.setParent(r.parent);
                const deps = new Set<string>(r.options.dependsOn ?? []);
                const pd = ar.getPropertydependenciesMap();
                for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                    urns.forEach((u) => deps.add(u));
                    const x = new analyzerpb.AnalyzerPropertyDependencies();
                    x.setUrnsList(urns);
                    pd.set(k, x);
                }
                ar.setDependenciesList([...deps]);
                return ar;
            }));
            const whole = unary<analyzerpb.AnalyzeStackRequest, analyzerpb.AnalyzeResponse>(c, "analyzeStack", stackReq)
                .then((res) => { for (const d of res.getDiagnosticsList()) diagnostics.push({ d, urn: d.getUrn() }); })
                .catch((e) => { throw rpcFailure("AnalyzeStack failed", e); });
            await Promise.all([...perResource.values(), whole]);
            return report(diagnostics, policies);
        };
        return { add, finish };
    };

    const analyze = (resources: PlannedResource[], ctx: AnalyzeContext): Promise<PolicyReport> => begin(ctx).finish(resources);

    return { pid, analyze, begin, stop };
}
