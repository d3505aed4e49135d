// Runs pack policies through @pulumi/policy's own analyzer RPC handlers (the functions its gRPC server registers),
// fed with real protobuf AnalyzeRequest / AnalyzeStackRequest messages. So each test exercises what `pulumi preview`
// does: property deserialization, the unknown-checking proxy (unknown values at preview), `isType` checks against
// the real @pulumi/aws classes, not-applicable results, resource options, and the pack's exemption wrapper.
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { PackPolicy } from "../../policy/lib/types";
import { toPulumiPolicy } from "../../policy/pack";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the server module declares no exports; its RPC handler factories are typed here
const server = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun(
        name: string,
        version: string,
        level: string,
        policies: unknown[],
    ): (call: unknown, cb: (err: unknown, res?: analyzerpb.AnalyzeResponse) => void) => Promise<void>;
    makeAnalyzeStackRpcFun(
        name: string,
        version: string,
        level: string,
        policies: unknown[],
    ): (call: unknown, cb: (err: unknown, res?: analyzerpb.AnalyzeResponse) => void) => Promise<void>;
};

/** The engine's unknown-value sentinel: a value not known until the update (e.g. an id at preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Finding {
    policy: string;
    urn: string;
    message: string;
    enforcement: "advisory" | "mandatory" | "disabled" | "remediate";
    severity: string;
}

export interface Result {
    violations: Finding[];
    /** Advisory "exempted …" lines of policy-exemptions. */
    exempted: Finding[];
    /** Not-applicable reasons reported for the policy. */
    notApplicable: string[];
    /** True when the policy could not decide at preview (the analyzer's advisory "can't run … during preview"). */
    deferred: boolean;
}

const LEVEL: Record<number, Finding["enforcement"]> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const SEVERITY: Record<number, string> = { 0: "", 1: "low", 2: "medium", 3: "high", 4: "critical" };

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::retail-platform::${type}::${name}`;
}

function options(parent?: string): analyzerpb.AnalyzerResourceOptions {
    const o = new analyzerpb.AnalyzerResourceOptions();
    o.setProtect(false);
    o.setIgnorechangesList([]);
    o.setAliasesList([]);
    o.setAdditionalsecretoutputsList([]);
    o.setCustomtimeouts(new analyzerpb.AnalyzerResourceOptions.CustomTimeouts());
    if (parent) o.setParent(parent);
    return o;
}

function provider(props: Record<string, unknown> | undefined): analyzerpb.AnalyzerProviderResource | undefined {
    if (!props) return undefined;
    const p = new analyzerpb.AnalyzerProviderResource();
    p.setType("pulumi:providers:aws");
    p.setName("default");
    p.setUrn("urn:pulumi:test::retail-platform::pulumi:providers:aws::default");
    p.setProperties(structproto.Struct.fromJavaScript(props as Record<string, structproto.JavaScriptValue>));
    return p;
}

function collect(res: analyzerpb.AnalyzeResponse, policyId: string, fallbackUrn: string): Result {
    const out: Result = { violations: [], exempted: [], notApplicable: [], deferred: false };
    for (const d of res.getDiagnosticsList()) {
        const f: Finding = {
            policy: d.getPolicyname(),
            urn: d.getUrn() || fallbackUrn,
            message: d.getMessage(),
            enforcement: LEVEL[d.getEnforcementlevel()],
            severity: SEVERITY[d.getSeverity()],
        };
        if (f.policy === "policy-exemptions" && f.message.startsWith("exempted ")) out.exempted.push(f);
        else if (/can't run policy .* during preview/.test(f.message)) out.deferred = true;
        else out.violations.push(f);
    }
    for (const na of res.getNotApplicableList()) if (na.getPolicyName() === policyId) out.notApplicable.push(na.getReason());
    return out;
}

function call<T>(
    fn: (call: unknown, cb: (err: unknown, res?: analyzerpb.AnalyzeResponse) => void) => Promise<void>,
    request: T,
): Promise<analyzerpb.AnalyzeResponse> {
    return new Promise((resolve, reject) => {
        void fn({ request }, (err, res) => (err ? reject(err) : resolve(res!)));
    });
}

export interface ResourceCase {
    type: string;
    name?: string;
    props: Record<string, unknown>;
    /** Provider inputs (e.g. { region, defaultTags: JSON }) — the default provider's config. */
    provider?: Record<string, unknown>;
}

/** Runs one resource policy (as the pack registers it) on one resource, like Analyze. */
export async function runResource(policy: PackPolicy, c: ResourceCase): Promise<Result> {
    const name = c.name ?? "subject";
    const req = new analyzerpb.AnalyzeRequest();
    req.setType(c.type);
    req.setName(name);
    req.setUrn(urnOf(c.type, name));
    req.setProperties(structproto.Struct.fromJavaScript(c.props as Record<string, structproto.JavaScriptValue>));
    req.setOptions(options());
    const prov = provider(c.provider);
    if (prov) req.setProvider(prov);
    const fn = server.makeAnalyzeRpcFun("retail-platform", "1.0.0", "mandatory", [toPulumiPolicy(policy)]);
    return collect(await call(fn, req), policy.id, urnOf(c.type, name));
}

export interface StackResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Input name -> names of resources of this case it depends on (the analyzer sends URNs). */
    deps?: Record<string, string[]>;
    provider?: Record<string, unknown>;
}

/** Runs one stack policy over a set of resources, like AnalyzeStack. */
export async function runStack(policy: PackPolicy, resources: StackResource[]): Promise<Result> {
    const byName = new Map(resources.map((r) => [r.name, urnOf(r.type, r.name)]));
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((r) => {
            const ar = new analyzerpb.AnalyzerResource();
            ar.setType(r.type);
            ar.setName(r.name);
            ar.setUrn(urnOf(r.type, r.name));
            ar.setProperties(structproto.Struct.fromJavaScript(r.props as Record<string, structproto.JavaScriptValue>));
            ar.setOptions(options());
            const prov = provider(r.provider);
            if (prov) ar.setProvider(prov);
            const all: string[] = [];
            for (const [k, names] of Object.entries(r.deps ?? {})) {
                const urns = names.map((n) => {
                    const u = byName.get(n);
                    if (!u) throw new Error(`test case: ${r.name}.${k} depends on unknown resource ${n}`);
                    return u;
                });
                all.push(...urns);
                const pd = new analyzerpb.AnalyzerPropertyDependencies();
                pd.setUrnsList(urns);
                ar.getPropertydependenciesMap().set(k, pd);
            }
            ar.setDependenciesList(all);
            return ar;
        }),
    );
    const fn = server.makeAnalyzeStackRpcFun("retail-platform", "1.0.0", "mandatory", [toPulumiPolicy(policy)]);
    return collect(await call(fn, req), policy.id, "");
}

/** Violation messages of the policy under test. */
export function messages(r: Result): string[] {
    return r.violations.map((v) => v.message);
}
