// Helpers for the ingress and application tests: plans of config variants, and lookups by resource-name suffix.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { PlanJson, PlanResource, REPO_ROOT, runPlan } from "./plan";

export const PROJECT = "retail-platform";

/** The one resource of `type` whose name ends with `suffix`. */
export function one(plan: PlanJson, type: string, suffix: string): PlanResource {
    const found = plan.resources.filter((r) => r.type === type && r.name.endsWith(suffix));
    if (found.length !== 1)
        throw new Error(`expected one ${type} named *${suffix}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    return found[0];
}

/** Parses a JSON policy input. */
export function doc(json: string): { Statement: any[] } {
    return JSON.parse(json);
}

const variants = new Map<string, PlanJson>();

/**
 * Plans the real program with `stack`'s config changed by `mutate` (which edits the parsed stack file's `config`
 * map), once per `key` per process: the program directory is a temporary one whose Pulumi.yaml points at the repo.
 */
export function variantPlan(key: string, stack: string, mutate: (config: Record<string, any>) => void): PlanJson {
    const cached = variants.get(key);
    if (cached) return cached;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `variant-${key}-`));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify({ name: PROJECT, runtime: "nodejs", main: REPO_ROOT }));
    const stackDoc = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8"));
    mutate(stackDoc.config);
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), YAML.stringify(stackDoc));
    const run = runPlan(["--program", dir, "--stack", stack, "--no-policy", "--json-detail"]);
    if (run.status !== 0 || !run.json) throw new Error(`variant plan ${key} exited ${run.status}:\n${run.stderr}`);
    variants.set(key, run.json);
    return run.json;
}
