// The analyzer protocol's client side: connects to the pack's analyzer process, reads its policies and sends the
// pack config (GetAnalyzerInfo, Configure), then per stack ConfigureStack, one Analyze per resource and one
// AnalyzeStack, and turns the diagnostics into the plan's report. The process itself is engine/analyzerProcess.ts.
import * as grpc from "@grpc/grpc-js";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { EXEMPTIONS_POLICY_ID, parseExemptionMessage } from "../policy/lib/exemptionMessage";
import type { AnalyzeContext, StreamingAnalysis } from "./analyzer";
import { PolicyAnalyzerError, PolicyConfigError } from "./analyzerErrors";
import type { PlannedResource, PolicyExemptionUse, PolicyReport, PolicyViolation, RecordedOptions } from "./types";

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

export interface PolicyMeta {
    name: string;
    enforcementLevel: analyzerpb.EnforcementLevel;
    severity?: PolicyViolation["severity"];
    description: string;
    neverSuppressible: boolean;
    configKeys: Set<string>;
}

/** A `--policy-pack-config` file's content, keyed by policy name. */
export type RawConfig = Record<string, unknown>;

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
        if (name === EXEMPTIONS_POLICY_ID && rest.exemptions !== undefined && !Array.isArray(rest.exemptions))
            errors.push(`${name}.exemptions must be a list`);
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
function providerFor(
    r: PlannedResource,
    providers: Map<string, PlannedResource>,
    ctx: AnalyzeContext,
): analyzerpb.AnalyzerProviderResource | undefined {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) return undefined;
    const prov = new analyzerpb.AnalyzerProviderResource();
    const ref = r.options.provider;
    const explicit = ref ? (providers.get(ref) ?? providers.get(ref.slice(0, ref.lastIndexOf("::")))) : undefined;
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

/** A unary method of a generated gRPC client, looked up by name. */
type UnaryCall<Req, Res> = (req: Req, callback: (err: grpc.ServiceError | null, res: Res) => void) => void;

function unary<Req, Res>(client: grpc.Client, method: string, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        (client as unknown as Record<string, UnaryCall<Req, Res>>)[method](req, (err, res) => (err ? reject(err) : resolve(res)));
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
        if (policy === EXEMPTIONS_POLICY_ID) {
            const used = parseExemptionMessage(message);
            if (used) {
                const key = `x\0${used.policy}\0${urn}`;
                if (!seen.has(key)) {
                    seen.add(key);
                    exempted.push({ policy: used.policy, urn, reason: used.reason, expires: used.expires });
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

/** A connection configured for the pack: the client and the pack's policies. */
export interface AnalyzerConnection {
    readonly client: grpc.Client;
    readonly policies: Map<string, PolicyMeta>;
}

/**
 * Connects, handshakes (the pack's server does not implement it; the CLI tolerates that too), reads the pack's
 * metadata and sends its config — all before the first Analyze, while the program is still being evaluated.
 * `onClient` hears of the client at once, so a stop during the handshake can close it.
 */
export async function connectAnalyzer(
    port: number,
    dir: string,
    rawConfig: RawConfig | undefined,
    configFile: string | undefined,
    onClient: (c: grpc.Client) => void,
): Promise<AnalyzerConnection> {
    const Client = analyzerrpc.AnalyzerClient as unknown as new (
        addr: string,
        creds: grpc.ChannelCredentials,
        options: object,
    ) => grpc.Client;
    const c = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE,
        "grpc.max_send_message_length": MAX_MESSAGE,
    });
    onClient(c);
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
    return { client: c, policies };
}

/** What a streaming analysis needs from the session around it. */
export interface AnalysisHooks {
    /** The connection, configured; rejects when the analyzer failed to start. */
    ready: Promise<AnalyzerConnection>;
    stopped(): boolean;
    /** An error carrying the analyzer's last output lines. */
    failure(what: string): PolicyAnalyzerError;
    /** " (analyzer exit code 1)" once the process has exited, else "". */
    exitNote(): string;
}

/** One stack's analysis over a connection: ConfigureStack once, then Analyze per resource as they come, AnalyzeStack at the end. */
export function beginAnalysis(hooks: AnalysisHooks, ctx: AnalyzeContext): StreamingAnalysis {
    if (hooks.stopped()) throw new PolicyAnalyzerError("the policy analyzer session was stopped");
    const rpcFailure = (what: string, e: unknown) => hooks.failure(`${what}: ${(e as Error).message}${hooks.exitNote()}`);
    // The connection and ConfigureStack, once; every Analyze waits for them.
    const configured = (async () => {
        let c: grpc.Client;
        let policies: Map<string, PolicyMeta>;
        try {
            ({ client: c, policies } = await hooks.ready);
        } catch (e) {
            if (e instanceof PolicyConfigError || e instanceof PolicyAnalyzerError) throw e;
            throw hooks.failure(`the policy analyzer failed to start (${(e as Error).message})`);
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
        const done = configured
            .then(({ c }) =>
                unary<analyzerpb.AnalyzeRequest, analyzerpb.AnalyzeResponse>(c, "analyze", req).catch((e) => {
                    throw rpcFailure(`Analyze of ${r.urn} failed`, e);
                }),
            )
            .then((res) => {
                for (const d of res.getDiagnosticsList()) diagnostics.push({ d, urn: d.getUrn() || r.urn });
            });
        done.catch(() => undefined); // observed in finish(); a plan that fails first never calls it
        perResource.set(r.urn, done);
    };

    const finish = async (resources: PlannedResource[]): Promise<PolicyReport> => {
        if (hooks.stopped()) throw new PolicyAnalyzerError("the policy analyzer session was stopped");
        for (const r of resources) add(r); // anything not streamed (and every resource of a non-streaming caller)
        const { c, policies } = await configured;
        const stackReq = new analyzerpb.AnalyzeStackRequest();
        stackReq.setResourcesList(
            resources.map((r) => {
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
            }),
        );
        const whole = unary<analyzerpb.AnalyzeStackRequest, analyzerpb.AnalyzeResponse>(c, "analyzeStack", stackReq)
            .then((res) => {
                for (const d of res.getDiagnosticsList()) diagnostics.push({ d, urn: d.getUrn() });
            })
            .catch((e) => {
                throw rpcFailure("AnalyzeStack failed", e);
            });
        await Promise.all([...perResource.values(), whole]);
        return report(diagnostics, policies);
    };
    return { add, finish };
}
