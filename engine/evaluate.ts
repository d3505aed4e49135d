// Evaluates a Pulumi TypeScript program for one stack with the real SDK in mock mode and records every resource.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { AliasResolver, aliasSpecsFromRequest } from "./aliases";
import { ALWAYS_DELETE_BEFORE_REPLACE, decideName } from "./naming";
import type { RegisterResourceOutputsRequest, RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import type { NamingRecord, PlannedResource, RecordedOptions } from "./types";

export interface ProgramInfo {
    project: string;
    /** The file the language host would run. */
    entry: string;
    /** Config from Pulumi.<stack>.yaml (and project defaults): "namespace:key" -> string, as Pulumi stores it. */
    config: Record<string, string>;
    /** Config keys whose values are encrypted in the stack file (unreadable offline). */
    secretKeys: string[];
}

export interface Evaluation {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
}

/** Raised for problems the user must fix in the program directory or stack file (exit 2, like config errors). */
export class ProgramSetupError extends Error {}

/** A physical name the provider or AWS would refuse: the preview fails (exit 1), naming each resource. */
export class NameCheckError extends Error {
    constructor(readonly problems: { urn: string; type: string; name: string; message: string }[]) {
        super(
            [
                `the provider would refuse ${problems.length} resource name${problems.length === 1 ? "" : "s"}:`,
                ...problems.map((p) => `  error: ${p.type} resource '${p.name}' (${p.urn}): ${p.message}`),
            ].join("\n"),
        );
        this.name = "NameCheckError";
        // The message is the whole report, as `pulumi preview` prints its diagnostics: no trace to show.
        this.stack = this.message;
    }
}

// Sentinels of the Pulumi wire format (sdk/nodejs/runtime/rpc.ts).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG_SECRET = "1b47061264138c4ac30d75fd1eb44270";
const SIG_RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";
const SIG_ASSET = "c44067f5952c0a294b673a41bacd8c17";
const SIG_ARCHIVE = "0def7320c3a5731c473e5ecbe6d01bc7";
const SIG_OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the CLI does (project defaults, then stack values). */
export function readProgram(programDir: string, stack: string): ProgramInfo {
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) throw new ProgramSetupError(`no Pulumi.yaml in ${programDir}`);
    const projectDoc = parseYamlFile(projectFile) ?? {};
    const project = projectDoc.name;
    if (typeof project !== "string" || !project) throw new ProgramSetupError(`${projectFile}: "name" must name the project`);
    const runtime = typeof projectDoc.runtime === "string" ? projectDoc.runtime : projectDoc.runtime?.name;
    if (runtime !== "nodejs") throw new ProgramSetupError(`${projectFile}: runtime must be nodejs, got ${JSON.stringify(runtime)}`);

    const mainDir = path.resolve(programDir, typeof projectDoc.main === "string" ? projectDoc.main : ".");
    const entry = resolveEntry(mainDir);

    const stackFile = path.join(programDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) throw new ProgramSetupError(`no stack file ${stackFile} (stack "${stack}")`);
    const stackDoc = parseYamlFile(stackFile) ?? {};

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const qualify = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
    for (const [key, decl] of Object.entries<Record<string, unknown>>(projectDoc.config ?? {})) {
        // Project-level declarations: `{ value }` or `{ default }`; the `pulumi:` namespace is the CLI's own.
        if (key.startsWith("pulumi:") || decl === null || typeof decl !== "object") continue;
        const value = "value" in decl ? decl.value : decl.default;
        if (value !== undefined) config[qualify(key)] = encodeConfig(value);
    }
    for (const [key, value] of Object.entries<unknown>(stackDoc.config ?? {})) {
        const qualified = qualify(key);
        if (value && typeof value === "object" && "secure" in (value as object)) {
            // Encrypted with the stack's secrets provider; offline there is no key to read it with.
            config[qualified] = "[secret]";
            secretKeys.push(qualified);
            continue;
        }
        config[qualified] = encodeConfig(value);
    }
    return { project, entry, config, secretKeys };
}

/** The parts of Pulumi.yaml / Pulumi.<stack>.yaml read here; values are as written, so each is checked where it is used. */
interface PulumiYaml {
    name?: unknown;
    runtime?: string | { name?: unknown };
    main?: unknown;
    config?: Record<string, Record<string, unknown>>;
}

/** A YAML syntax error is the user's to fix in that file: report where, without the parser's stack. */
function parseYamlFile(file: string): PulumiYaml | null {
    try {
        return YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        if (err instanceof YAML.YAMLError) throw new ProgramSetupError(`${file}: invalid YAML: ${err.message}`);
        throw err;
    }
}

function encodeConfig(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

function resolveEntry(mainDir: string): string {
    if (fs.existsSync(mainDir) && fs.statSync(mainDir).isFile()) return mainDir;
    const pkgFile = path.join(mainDir, "package.json");
    if (fs.existsSync(pkgFile)) {
        const main = JSON.parse(fs.readFileSync(pkgFile, "utf8")).main;
        if (typeof main === "string") {
            const candidate = path.resolve(mainDir, main);
            for (const c of [candidate, candidate.replace(/\.js$/, ".ts"), `${candidate}.ts`, path.join(candidate, "index.ts")]) {
                if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
            }
        }
    }
    for (const f of ["index.ts", "index.js"]) {
        const c = path.join(mainDir, f);
        if (fs.existsSync(c)) return c;
    }
    throw new ProgramSetupError(`no program entry (package.json main, index.ts or index.js) in ${mainDir}`);
}

/** Where asset paths are recorded relative to: the evaluated program's directory. */
let assetRoot = process.cwd();

function relativeToProgram(file: string): string {
    const relative = path.relative(assetRoot, path.resolve(assetRoot, file));
    return relative.startsWith("..") ? file : relative.split(path.sep).join("/");
}

/** SHA-256 of an asset's or archive's content (a file, a folder's files, text, or an archive's named members). */
function contentHash(wire: Record<string, unknown>): string {
    const hash = crypto.createHash("sha256");
    const add = (value: Record<string, unknown>): void => {
        if (typeof value.text === "string") hash.update(`text:${value.text}`);
        else if (typeof value.uri === "string") hash.update(`uri:${value.uri}`);
        else if (typeof value.path === "string") addPath(path.resolve(assetRoot, value.path));
        else if (value.assets && typeof value.assets === "object") {
            for (const [name, member] of Object.entries(value.assets as Record<string, Record<string, unknown>>).sort(([a], [b]) =>
                a.localeCompare(b),
            )) {
                hash.update(`member:${name}\0`);
                add(member);
            }
        }
    };
    const addPath = (file: string): void => {
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        if (!stat) hash.update(`missing:${path.basename(file)}`);
        else if (stat.isDirectory()) {
            for (const entry of fs.readdirSync(file).sort()) {
                hash.update(`entry:${entry}\0`);
                addPath(path.join(file, entry));
            }
        } else hash.update(fs.readFileSync(file));
    };
    add(wire);
    return hash.digest("hex");
}

/** Wire value -> [value for printing, value for policies, dotted secret paths]. */
function unwire(value: unknown, at: string, secrets: string[], insideSecret = false): [unknown, unknown] {
    if (value === UNKNOWN) return ["[unknown]", undefined];
    if (Array.isArray(value)) {
        const pairs = value.map((v, i) => unwire(v, `${at}[${i}]`, secrets, insideSecret));
        return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
    }
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        const sig = obj[SIG_KEY];
        if (sig === SIG_SECRET) {
            if (!insideSecret) secrets.push(at);
            const [, raw] = unwire(obj.value, at, secrets, true);
            return ["[secret]", raw];
        }
        if (sig === SIG_RESOURCE) return [obj.urn, obj.id ?? obj.urn];
        if (sig === SIG_ASSET || sig === SIG_ARCHIVE) {
            // As the Pulumi engine compares assets and archives: by content, not by where the checkout lies (a plan
            // of the same commit in another folder, e.g. a pull request's base worktree, must not differ).
            const source =
                typeof obj.path === "string" ? relativeToProgram(obj.path) : (obj.uri ?? (obj.text !== undefined ? "(text)" : "(assets)"));
            const described = { [sig === SIG_ASSET ? "[asset]" : "[archive]"]: source, sha256: contentHash(obj) };
            return [described, described];
        }
        if (sig === SIG_OUTPUT) {
            if (obj.secret && !insideSecret) secrets.push(at);
            const [printed, raw] = "value" in obj ? unwire(obj.value, at, secrets, insideSecret || !!obj.secret) : ["[unknown]", undefined];
            return [obj.secret ? "[secret]" : printed, raw];
        }
        const printed: Record<string, unknown> = {};
        const raw: Record<string, unknown> = {};
        for (const key of Object.keys(obj).sort()) {
            [printed[key], raw[key]] = unwire(obj[key], at ? `${at}.${key}` : key, secrets, insideSecret);
        }
        return [printed, raw];
    }
    return [insideSecret ? "[secret]" : value, value];
}

/** Reads the tier from the parent chain: the outermost `<package>:<tier>:<Name>` component below the stack. */
function tierOf(urn: string, byUrn: Map<string, { type: string; parent?: string; custom: boolean }>): string | null {
    let tier: string | null = null;
    let at = byUrn.get(urn);
    while (at && at.type !== "pulumi:pulumi:Stack") {
        const parts = at.type.split(":");
        // Walking upwards, the last component seen is the outermost one.
        if (!at.custom && parts.length === 3 && parts[0] !== "pulumi") tier = parts[1];
        at = at.parent ? byUrn.get(at.parent) : undefined;
    }
    return tier;
}

interface Recorded {
    type: string;
    name: string;
    urn: string;
    parent?: string;
    custom: boolean;
    object: unknown;
    options: RecordedOptions;
    propertyDependencies: Record<string, string[]>;
    naming?: NamingRecord;
}

export interface EvaluateOptions {
    /** Evaluate as a preview (unmocked outputs unknown). Default false: every output known, the plan deterministic. */
    preview?: boolean;
    /**
     * Evaluate as the first preview of a new stack (implies preview): mocks compute no outputs at all (ids, ARNs and
     * every other computed value unknown), and policy documents are transformed as the provider's Check does.
     */
    firstDeploy?: boolean;
    /** Called as each resource's registration completes (its tier is not known yet), e.g. to analyse it at once. */
    onResource?: (resource: PlannedResource) => void;
}

/**
 * Evaluates the program described by `info` for `stack`. Runs once per process: the SDK's runtime state is global.
 */
export async function evaluate(info: ProgramInfo, stack: string, opts: EvaluateOptions = {}): Promise<Evaluation> {
    // Resolve @pulumi/* from this project even for a program elsewhere without its own node_modules.
    ensureModulePath(path.resolve(__dirname, "..", "node_modules"));
    assetRoot = path.dirname(path.resolve(info.entry));
    /* eslint-disable @typescript-eslint/no-require-imports -- the SDK and what loads it resolve only once NODE_PATH is set above */
    const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
    const settings = require("@pulumi/pulumi/runtime/settings");
    const { PlatformMocks } = require("./mocks") as typeof import("./mocks");

    skipPromiseStackCapture(require("@pulumi/pulumi/runtime/debuggable"));

    const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
    /* eslint-enable @typescript-eslint/no-require-imports */

    const homeRegion = info.config["aws:region"] ?? "us-east-1";
    pulumi.runtime.setAllConfig(info.config, info.secretKeys);
    const mocks = new PlatformMocks(homeRegion);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- first-deploy mocks are loaded only when asked for
    const firstDeploy = opts.firstDeploy ? (require("./first-deploy") as typeof import("./first-deploy")) : undefined;
    await pulumi.runtime.setMocks(
        firstDeploy ? new firstDeploy.FirstDeployMocks(mocks) : mocks,
        info.project,
        stack,
        (opts.preview || opts.firstDeploy) ?? false,
    );
    const aliasResolver = new AliasResolver(stack, info.project);
    const nameProblems: NameCheckError["problems"] = [];

    const recorded = new Map<string, Recorded>();
    const planned = new Map<string, PlannedResource>();
    let stackOutputs: unknown = {};
    const monitor = settings.getMonitor();
    // URNs as the engine forms them: the parent's whole qualified type, and no prefix for children of the stack.
    // (The SDK's mock monitor keeps only the parent's last type segment and prefixes the stack's type.)
    monitor.newUrn = (parent: string, type: string, name: string) => {
        const parentType = parent ? parent.split("::")[2] : "";
        const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
        return `urn:pulumi:${stack}::${info.project}::${qualified}::${name}`;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterResourceRequest, callback: (err: unknown, resp?: RegisterResourceResponse) => void) => {
        const urn: string = monitor.newUrn(req.getParent(), req.getType(), req.getName());
        // What the provider's Check does before anything else: fill in or refuse the physical name.
        const naming = req.getCustom() ? nameResource(req, urn) : undefined;
        const aliases = aliasResolver.resolve(urn, {
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || "",
            aliases: aliasSpecsFromRequest(req.getAliasesList()),
        });
        register(req, (err: unknown, resp?: RegisterResourceResponse) => {
            if (!err && resp) {
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps: RegisterResourceRequest.PropertyDependencies, key: string) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                const timeouts = req.getCustomtimeouts();
                const entry: Recorded = {
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    parent: req.getParent() || undefined,
                    custom: req.getCustom(),
                    object: firstDeploy
                        ? firstDeploy.checkTransform(req.getType(), req.getObject()?.toJavaScript() ?? {})
                        : (req.getObject()?.toJavaScript() ?? {}),
                    propertyDependencies,
                    naming,
                    options: {
                        protect: !!req.getProtect(),
                        ignoreChanges: req.getIgnorechangesList(),
                        deleteBeforeReplace: req.getDeletebeforereplace(),
                        retainOnDelete: !!req.getRetainondelete(),
                        aliases,
                        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                        replaceOnChanges: req.getReplaceonchangesList(),
                        customTimeouts: timeouts
                            ? {
                                  create: timeouts.getCreate() || undefined,
                                  update: timeouts.getUpdate() || undefined,
                                  delete: timeouts.getDelete() || undefined,
                              }
                            : undefined,
                        provider: req.getProvider() || undefined,
                        dependsOn: req.getDependenciesList(),
                    },
                };
                recorded.set(entry.urn, entry);
                const resource = toPlanned(entry);
                planned.set(entry.urn, resource);
                opts.onResource?.(resource);
            }
            callback(err, resp);
        });
    };
    function nameResource(req: RegisterResourceRequest, urn: string): NamingRecord | undefined {
        const type: string = req.getType();
        const object = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const [, unwired] = unwire(object, "", []);
        const raw = unwired as Record<string, unknown>;
        // A property the program sets to a value not known yet (preview) is set, not absent: null marks it.
        for (const key of Object.keys(object)) if (raw[key] === undefined) raw[key] = null;
        const decision = decideName(type, urn, req.getName(), raw);
        if (!decision) return ALWAYS_DELETE_BEFORE_REPLACE.has(type) ? { mode: "none", deleteBeforeReplace: true } : undefined;
        for (const message of decision.errors) nameProblems.push({ urn, type, name: req.getName(), message });
        if (decision.name !== undefined && decision.mode !== "explicit") {
            mocks.physicalNames.set(`${type}::${req.getName()}`, { property: decision.property, name: decision.name });
            // An autonamed name is an input, as in a real preview; one made at create (a prefix, Terraform's
            // default) is only an output.
            if (decision.mode === "autonamed") {
                object[decision.property] = decision.name;
                req.setObject(Struct.fromJavaScript(object as Parameters<typeof Struct.fromJavaScript>[0]));
            }
        }
        return { property: decision.property, name: decision.name, mode: decision.mode, deleteBeforeReplace: decision.deleteBeforeReplace };
    }

    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: RegisterResourceOutputsRequest, callback: (err: unknown, resp?: unknown) => void) => {
        if (recorded.get(req.getUrn())?.type === "pulumi:pulumi:Stack") stackOutputs = req.getOutputs()?.toJavaScript() ?? {};
        registerOutputs(req, callback);
    };

    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            // Like the nodejs language host: the module's exports are the stack outputs; a default function is called.
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's entry is known only at run time
            const mod = require(info.entry);
            const exported = mod && mod.__esModule === undefined && typeof mod === "function" ? mod : mod?.default;
            return typeof exported === "function" ? await exported() : mod;
        });
        await settings.waitForRPCs();
        // A failed provider call rejects a promise nobody awaits (the property being serialized): Node reports it as
        // unhandled only once the current task's microtasks have run, so let that happen while the handler listens.
        for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    } catch (err) {
        failures.unshift(err);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    if (failures.length > 0) {
        // The failed program leaves rejected promises behind (the stack component's own data among them) that Node
        // reports only later, e.g. while the CLI stops the policy analyzer; its first failure is what is reported, so
        // those late echoes must not crash the process with a trace and exit status 1.
        process.on("unhandledRejection", () => undefined);
        throw failures[0];
    }
    if (pulumi.log.hasErrors()) throw new Error("the program logged errors (see above)");
    if (nameProblems.length > 0) throw new NameCheckError(nameProblems.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0)));

    const byUrn = new Map([...recorded.values()].map((r) => [r.urn, r]));
    const resources = [...planned.values()].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    for (const r of resources) r.tier = tierOf(r.urn, byUrn);
    const [outputs] = unwire(stackOutputs, "", []);
    return { project: info.project, stack, resources, outputs: outputs as Record<string, unknown> };
}

/**
 * The SDK records `new Error().stack` on every promise it creates, only to describe leaked promises if the program
 * exits early; formatting those traces was a third of a plan's CPU. Offline the leak report still names each
 * promise's context, just without its stack.
 */
export function skipPromiseStackCapture(debuggable: { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> }): void {
    const original = debuggable.debuggablePromise;
    if ((original as { __withoutStack?: boolean }).__withoutStack) return;
    const withoutStack = (p: Promise<unknown>, ctx: unknown) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return original(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    (withoutStack as { __withoutStack?: boolean }).__withoutStack = true;
    debuggable.debuggablePromise = withoutStack;
}

/** A registration as the plan reports it; the tier is filled in once every parent is known. */
function toPlanned(r: Recorded): PlannedResource {
    const secretPaths: string[] = [];
    const [inputs, rawInputs] = unwire(r.object, "", secretPaths);
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent,
        tier: null,
        custom: r.custom,
        inputs: inputs as Record<string, unknown>,
        rawInputs: rawInputs as Record<string, unknown>,
        secretPaths,
        propertyDependencies: r.propertyDependencies,
        options: r.options,
        ...(r.naming ? { naming: r.naming } : {}),
    };
}

function ensureModulePath(dir: string): void {
    const current = (process.env.NODE_PATH ?? "").split(path.delimiter).filter(Boolean);
    if (current.includes(dir)) return;
    process.env.NODE_PATH = [...current, dir].join(path.delimiter);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Module._initPaths is internal, absent from node's types
    require("module").Module._initPaths();
}
