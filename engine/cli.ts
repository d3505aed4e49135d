// `npm run plan -- --stack <name> [--program <dir>] [--json <file>] [--no-policy]`
import * as fs from "fs";
import * as path from "path";
import type { AnalyzerSession } from "./analyzer";
import { evaluate, Evaluation, ProgramSetupError, readProgram } from "./evaluate";
import { formatPolicyReport, formatSummary } from "./summary";
import { budgetPolicyConfig, costSettings, formatCost, planCost } from "./cost";
import type { PolicyReport } from "./types";
import { configWarnings, formatWarnings } from "./warnings";

const REPO_ROOT = path.resolve(__dirname, "..");

export interface PlanArgs {
    stack: string;
    programDir: string;
    jsonFile?: string;
    policyPackDir?: string;
    /** The pack's config (exemptions), as `pulumi preview --policy-pack-config <file>` takes it. */
    policyConfigFile?: string;
    /** Adds each resource's options and property dependencies to the JSON (for tests and reviews). */
    jsonDetail?: boolean;
    /** Evaluate as the first `pulumi preview` of a new stack: no computed output is known. */
    preview?: boolean;
    /** An earlier plan JSON to compare with (engine/diff.ts), and where to write the diff as Markdown. */
    baseFile?: string;
    diffMarkdownFile?: string;
    /** Where to write the architecture picture (engine/architecture.ts). */
    svgFile?: string;
}

const USAGE =
    "usage: npm run plan -- --stack <name> [--program <dir>] [--json <file>] [--no-policy] [--policy-pack <dir>] [--policy-pack-config <file>] [--json-detail] [--base <plan.json> [--diff-markdown <file>]] [--svg <file>] [--preview]";

/** `--help` / `-h`: the caller prints the usage and exits 0. */
export class HelpRequested extends Error {}

export function parseArgs(argv: string[]): PlanArgs {
    const args: Partial<PlanArgs> & { policy: boolean } = { programDir: REPO_ROOT, policy: true };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
            return v;
        };
        switch (flag) {
            case "--stack":
                args.stack = value();
                break;
            case "--program":
                args.programDir = path.resolve(value());
                break;
            case "--json":
                args.jsonFile = path.resolve(value());
                break;
            case "--policy-pack":
                args.policyPackDir = path.resolve(value());
                break;
            case "--policy-pack-config":
                args.policyConfigFile = path.resolve(value());
                break;
            case "--no-policy":
                args.policy = false;
                break;
            case "--json-detail":
                args.jsonDetail = true;
                break;
            case "--help":
            case "-h":
                throw new HelpRequested();
            case "--base":
                args.baseFile = path.resolve(value());
                break;
            case "--diff-markdown":
                args.diffMarkdownFile = path.resolve(value());
                break;
            case "--svg":
                args.svgFile = path.resolve(value());
                break;
            case "--preview":
                args.preview = true;
                break;
            default:
                throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
        }
    }
    if (!args.stack) throw new UsageError("--stack is required");
    return {
        stack: args.stack,
        programDir: args.programDir!,
        jsonFile: args.jsonFile,
        policyPackDir: args.policy ? (args.policyPackDir ?? path.join(REPO_ROOT, "policy")) : undefined,
        policyConfigFile: args.policyConfigFile,
        jsonDetail: args.jsonDetail,
        baseFile: args.baseFile,
        diffMarkdownFile: args.diffMarkdownFile,
        svgFile: args.svgFile,
        preview: args.preview,
    };
}

class UsageError extends Error {}

// Errors that mean "fix your configuration": no JSON is written and the exit status is 2.
const CONFIG_ERRORS = new Set([
    "ConfigValidationError",
    "PolicyConfigError",
    "ConfigMissingError",
    "ConfigTypeError",
    "ConfigEnumError",
    "ConfigRangeError",
    "ConfigPatternError",
]);

function isConfigError(err: unknown): err is Error {
    return err instanceof Error && (CONFIG_ERRORS.has(err.name) || CONFIG_ERRORS.has(err.constructor?.name));
}

/** The JSON document `--json` writes: stable key and resource order, so two runs diff cleanly. */
export function planDocument(evaluation: Evaluation, policies?: PolicyReport, detail = false, warnings: string[] = []) {
    return {
        project: evaluation.project,
        stack: evaluation.stack,
        resources: evaluation.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent ?? null,
            tier: r.tier,
            custom: r.custom,
            inputs: r.inputs,
            // Old URNs this resource answers to (resolved with parent inheritance): what a plan diff matches renames by.
            ...(r.options.aliases.length > 0 ? { aliases: r.options.aliases } : {}),
            ...(detail
                ? { options: r.options, propertyDependencies: r.propertyDependencies, ...(r.naming ? { naming: r.naming } : {}) }
                : {}),
        })),
        outputs: evaluation.outputs,
        warnings,
        ...(policies ? { policies } : {}),
    };
}

export async function main(argv: string[]): Promise<number> {
    let args: PlanArgs;
    try {
        args = parseArgs(argv);
    } catch (err) {
        if (err instanceof HelpRequested) {
            process.stdout.write(`${USAGE}\n`);
            return 0;
        }
        process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    const started = process.hrtime.bigint();
    let analyzer: AnalyzerSession | undefined;
    try {
        const info = readProgram(args.programDir, args.stack);
        const cost = costSettings(info);
        // The analyzer process starts before the program is evaluated, and each resource is analysed as soon as it
        // is registered (as the CLI does); only the stack policies wait for the end.
        analyzer = args.policyPackDir
            ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- the analyzer loads only when policies run
              await (require("./analyzer") as typeof import("./analyzer")).startPolicyAnalyzer(args.policyPackDir, {
                  policyConfigFile: args.policyConfigFile,
                  policyConfig: budgetPolicyConfig(cost),
              })
            : undefined;
        const analysis = analyzer?.begin({ project: info.project, stack: args.stack, config: info.config, dryRun: true });
        const evaluation = await evaluate(info, args.stack, {
            firstDeploy: args.preview,
            onResource: analysis ? (r) => analysis.add(r) : undefined,
        });
        const policies = analysis ? await analysis.finish(evaluation.resources) : undefined;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        process.stdout.write(formatSummary(evaluation, seconds));
        // Warnings never change the exit status, as in `pulumi preview`.
        const warnings = configWarnings(args.programDir, info, args.stack);
        process.stdout.write(formatWarnings(warnings));
        const estimate = planCost(evaluation.resources, cost);
        process.stdout.write(formatCost(estimate, cost.budgetUsd));
        if (policies) process.stdout.write(formatPolicyReport(policies));
        if (args.jsonFile) {
            fs.mkdirSync(path.dirname(args.jsonFile), { recursive: true });
            fs.writeFileSync(
                args.jsonFile,
                JSON.stringify({ ...planDocument(evaluation, policies, args.jsonDetail, warnings), cost: estimate }, null, 2) + "\n",
            );
            process.stdout.write(`\nwrote ${path.relative(process.cwd(), args.jsonFile) || args.jsonFile}\n`);
        }
        if (args.baseFile) {
            const head = { ...planDocument(evaluation, policies, true), cost: estimate };
            process.stdout.write(
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- the diff loads only with --base
                "\n" + (require("./diff") as typeof import("./diff")).diffAgainstBase(args.baseFile, head, args.diffMarkdownFile),
            );
        }
        if (args.svgFile) {
            const t = process.hrtime.bigint();
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the renderer loads only with --svg
            const svg = await (require("./architecture") as typeof import("./architecture")).architectureSvg(evaluation.resources, {
                project: evaluation.project,
                stack: evaluation.stack,
            });
            fs.mkdirSync(path.dirname(args.svgFile), { recursive: true });
            fs.writeFileSync(args.svgFile, svg);
            process.stdout.write(
                `wrote ${path.relative(process.cwd(), args.svgFile) || args.svgFile} (rendered in ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(2)} s)\n`,
            );
        }
        // Like `pulumi preview --policy-pack`: a mandatory violation fails the run (the JSON is still written).
        return policies?.violations.some((v) => v.enforcement === "mandatory") ? 1 : 0;
    } catch (err) {
        if (err instanceof ProgramSetupError || isConfigError(err)) {
            process.stderr.write(`${err.message}\n`);
            return 2;
        }
        process.stderr.write(`plan failed: ${describeFailure(err)}\n`);
        return 1;
    } finally {
        await analyzer?.stop();
    }
}

/**
 * A program failure: its message, and only the stack frames in the program's own files — frames inside the SDK,
 * the provider package or Node locate nothing a reader can change.
 */
export function describeFailure(err: unknown): string {
    if (!(err instanceof Error)) return String(err);
    const frames = (err.stack ?? "")
        .split("\n")
        .filter((line) => /^\s+at /.test(line) && !/node_modules|node:internal|\(node:|\(<anonymous>\)/.test(line));
    return [`${err.name}: ${err.message}`, ...frames].join("\n");
}
