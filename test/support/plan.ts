// Runs the offline engine exactly as users do (`node engine/cli.js ...`) and reads its JSON.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlatformMocks } from "../../engine/mocks";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface PlanResource {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    tier: string | null;
    custom: boolean;
    inputs: Record<string, any>;
    /** With --json-detail: resource options as recorded (dependsOn, ignoreChanges, protect, ...). */
    options?: { dependsOn: string[]; ignoreChanges: string[]; protect: boolean; [key: string]: unknown };
    /** Alias URNs the resource answers to, when it has any. */
    aliases?: string[];
    /** With --json-detail: how its physical name comes about. */
    naming?: { property?: string; name?: string; mode: string; deleteBeforeReplace: boolean };
    /** With --json-detail: per input, the URNs of the resources its value came from. */
    propertyDependencies?: Record<string, string[]>;
}

export interface PlanJson {
    project: string;
    stack: string;
    resources: PlanResource[];
    outputs: Record<string, any>;
    policies?: { violations: any[]; exempted: any[] };
}

export interface PlanRun {
    status: number | null;
    stdout: string;
    stderr: string;
    json?: PlanJson;
    jsonFile: string;
}

export function runPlan(args: string[], env: Record<string, string> = {}): PlanRun {
    const jsonFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-")), "plan.json");
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "engine", "cli.js"), ...args, "--json", jsonFile], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, ...env },
    });
    const json = fs.existsSync(jsonFile) ? JSON.parse(fs.readFileSync(jsonFile, "utf8")) : undefined;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, json, jsonFile };
}

const cache = new Map<string, PlanJson>();

/**
 * The project's plan for `stack` (with each resource's options), evaluated once per test process.
 * PLAN_PROGRAM_DIR points the tests at another program directory with the same stacks (e.g. a scratch copy).
 */
export function planOf(stack: string): PlanJson {
    let plan = cache.get(stack);
    if (!plan) {
        const program = process.env.PLAN_PROGRAM_DIR ? ["--program", process.env.PLAN_PROGRAM_DIR] : [];
        const run = runPlan([...program, "--stack", stack, "--no-policy", "--json-detail"]);
        if (run.status !== 0 || !run.json) throw new Error(`plan --stack ${stack} exited ${run.status}:\n${run.stderr}`);
        plan = run.json;
        cache.set(stack, plan);
    }
    return plan;
}

/** Query helpers over a plan. */
export function ofType(plan: PlanJson, type: string): PlanResource[] {
    return plan.resources.filter((r) => r.type === type);
}

export function byName(plan: PlanJson, name: string): PlanResource {
    const found = plan.resources.filter((r) => r.name === name);
    if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
    return found[0];
}

/**
 * The id and ARN the offline engine's mocks gave `resource` (deterministic from type and name), so a test can
 * follow a reference like `subnetId: "subnet-…"` back to the resource it names.
 */
/** The mocked id and state of a planned resource, as the engine computed them during the plan. */
export function mockedState(plan: PlanJson, resource: PlanResource): { id: string; state: Record<string, any> } {
    const mocks = new PlatformMocks(plan.outputs.region ?? "us-east-1");
    // A name made at create (a prefix) is not an input: the detail JSON records it.
    const naming = resource.naming;
    if (naming?.property && naming.name !== undefined && naming.mode !== "explicit")
        mocks.physicalNames.set(`${resource.type}::${resource.name}`, { property: naming.property, name: naming.name });
    const { id, state } = mocks.newResource({ type: resource.type, name: resource.name, inputs: resource.inputs, custom: true });
    return { id: String(id), state };
}

export function mockedIdentity(plan: PlanJson, resource: PlanResource): { id: string; arn: string } {
    const { id, state } = mockedState(plan, resource);
    // Some resources take an `arn` input naming another resource (an EventBridge target's queue): not their own.
    return { id, arn: resource.inputs.arn === undefined ? String(state.arn ?? "") : "" };
}

/** Finds the resource a reference (id or ARN) points at, or throws. */
export function resolveRef(plan: PlanJson, ref: string): PlanResource {
    const found = plan.resources.filter(
        (r) =>
            r.custom &&
            (() => {
                const m = mockedIdentity(plan, r);
                return m.id === ref || m.arn === ref;
            })(),
    );
    if (found.length !== 1) throw new Error(`reference ${ref} matches ${found.length} resources`);
    return found[0];
}

/**
 * The KMS key a statement grants by alias (components/iam.ts keyStatement): every key of its region and account,
 * narrowed by `kms:ResourceAliases` to one alias, resolved here through that alias's target.
 */
export function grantedKey(
    plan: PlanJson,
    statement: { Resource?: unknown; Condition?: Record<string, Record<string, unknown>> },
): PlanResource {
    const alias = statement.Condition?.["ForAnyValue:StringEquals"]?.["kms:ResourceAliases"];
    if (typeof alias !== "string") throw new Error(`statement names no key alias: ${JSON.stringify(statement)}`);
    if (typeof statement.Resource !== "string" || !/^arn:aws[-a-z]*:kms:[a-z0-9-]+:\d{12}:key\/\*$/.test(statement.Resource))
        throw new Error(`an alias-scoped key statement's resource must be the region's keys, got ${JSON.stringify(statement.Resource)}`);
    const region = statement.Resource.split(":")[3];
    const aliases = plan.resources.filter(
        (r) => r.type === "aws:kms/alias:Alias" && r.inputs.name === alias && (r.inputs.region ?? plan.outputs.region) === region,
    );
    if (aliases.length !== 1) throw new Error(`alias ${alias} in ${region} matches ${aliases.length} resources`);
    return resolveRef(plan, aliases[0].inputs.targetKeyId);
}

/**
 * The variables a container of a planned task definition starts with, as ECS sets them: its plain `environment`, and
 * each `secrets` entry that names an SSM parameter of the plan resolved to that parameter's value (ECS injects String
 * parameters as environment variables). Other `secrets` entries (Secrets Manager) stay their `valueFrom`.
 */
export function containerEnvironment(plan: PlanJson, task: PlanResource, container = 0): Record<string, string> {
    const definition = JSON.parse(task.inputs.containerDefinitions)[container];
    const env: Record<string, string> = {};
    for (const e of definition.environment ?? []) env[e.name] = e.value;
    for (const s of definition.secrets ?? []) {
        const m = /^arn:[^:]+:ssm:[^:]+:\d{12}:parameter(\/.+)$/.exec(s.valueFrom);
        const parameter = m && ofType(plan, "aws:ssm/parameter:Parameter").find((p) => p.inputs.name === m[1]);
        if (m && !parameter) throw new Error(`${task.name}: ${s.name} names parameter ${m[1]}, which the plan does not declare`);
        env[s.name] = parameter ? parameter.inputs.insecureValue : s.valueFrom;
    }
    return env;
}

/**
 * Statements of a PBC's task role from its inline policies, in this order: by default the one naming AWS-assigned ids
 * (`…-task-ids-policy`) first, then the main one (`…-task-policy`).
 */
export function taskRoleStatements(
    plan: PlanJson,
    pbc: string,
    policies: ("task-ids-policy" | "task-policy")[] = ["task-ids-policy", "task-policy"],
): any[] {
    return policies.flatMap((suffix) => {
        const policy = ofType(plan, "aws:iam/rolePolicy:RolePolicy").find(
            (p) => p.name === `retail-platform-${plan.stack}-${pbc}-${suffix}`,
        );
        return policy ? JSON.parse(policy.inputs.policy).Statement : [];
    });
}
