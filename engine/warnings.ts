// Warnings about a stack's configuration that do not stop the plan (the exit status is unchanged): values that
// would deploy but hurt later, and example values a real `pulumi up` cannot work with.
import * as fs from "fs";
import { readProgram, ProgramInfo } from "./evaluate";

/** Config value -> its dotted leaves, e.g. "retail-platform:ingress" {domain} -> ["ingress.domain", value]. */
function leaves(info: ProgramInfo): [string, unknown][] {
    const out: [string, unknown][] = [];
    const walk = (at: string, value: unknown) => {
        if (Array.isArray(value)) value.forEach((v, i) => walk(`${at}.${i}`, v));
        else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(`${at}.${k}`, v);
        else out.push([at, value]);
    };
    for (const [key, raw] of Object.entries(info.config)) {
        if (info.secretKeys.includes(key)) continue;
        let value: unknown = raw;
        try {
            value = JSON.parse(raw);
        } catch {
            // a plain string
        }
        const [namespace, name] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
        walk(namespace === info.project ? name : key, value);
    }
    return out;
}

function ipv4Range(cidr: string): [number, number] | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const bits = Number(m[5]);
    if (octets.some((o) => o > 255) || bits > 32) return undefined;
    const address = octets.reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - bits);
    const start = Math.floor(address / size) * size;
    return [start, start + size - 1];
}

/**
 * VPC blocks this stack shares with the program's other stacks (`Pulumi.<other>.yaml` beside it): the config keys
 * ending in `cidr` that overlap. Overlapping VPCs cannot be peered or attached to one transit gateway with routes
 * between them (AWS: "You cannot create a VPC peering connection between VPCs that have matching or overlapping
 * IPv4 CIDR blocks").
 */
export function overlappingCidrs(programDir: string, info: ProgramInfo, stack: string): string[] {
    const mine = leaves(info).filter(([k, v]) => /cidr$/i.test(k) && typeof v === "string" && ipv4Range(v));
    if (mine.length === 0) return [];
    const warnings: string[] = [];
    const others = fs
        .readdirSync(programDir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => !!s && s !== stack)
        .sort();
    for (const other of others) {
        let theirs: [string, unknown][];
        try {
            theirs = leaves(readProgram(programDir, other));
        } catch {
            continue; // that stack's own problems are reported when it is planned
        }
        for (const [key, value] of mine) {
            const [a0, a1] = ipv4Range(value as string)!;
            for (const [otherKey, otherValue] of theirs) {
                const range = /cidr$/i.test(otherKey) && typeof otherValue === "string" ? ipv4Range(otherValue) : undefined;
                if (!range || range[1] < a0 || range[0] > a1) continue;
                const relation = otherValue === value ? "is the same block as" : `overlaps ${otherValue} of`;
                warnings.push(
                    `${key}: ${value} ${relation} stack "${other}" (${otherKey} in Pulumi.${other}.yaml); VPCs with overlapping blocks cannot be peered or routed to each other through a transit gateway later`,
                );
            }
        }
    }
    return warnings;
}

// The account ids AWS's documentation uses in examples.
const EXAMPLE_ACCOUNT = /^(123456789012|111122223333|444455556666|777788889999|210987654321)$/;

// RFC 2606 and RFC 6761 reserve these names for documentation and tests: nobody can delegate or receive mail for them.
const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/i;

/** Example values committed as placeholders, each with what a real `pulumi up` would do with it. */
export function placeholderValues(info: ProgramInfo): string[] {
    const found: string[] = [];
    for (const [key, value] of leaves(info)) {
        if (typeof value !== "string") continue;
        const email = /^[^@\s]+@([^@\s]+)$/.exec(value);
        const url = /^https?:\/\/([^/:\s]+)/.exec(value);
        const arnAccount = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(value);
        if (/zoneid$/i.test(key) && /EXAMPLE/i.test(value)) {
            found.push(
                `${key}: ${JSON.stringify(value)} is an example hosted zone id; records in it fail with NoSuchHostedZone (use the real zone's id)`,
            );
        } else if (email && RESERVED_DOMAIN.test(email[1])) {
            found.push(
                `${key}: ${JSON.stringify(value)} is an example address; the subscription is created but stays pending confirmation forever, so nothing is delivered`,
            );
        } else if (url && RESERVED_DOMAIN.test(url[1])) {
            found.push(
                `${key}: ${JSON.stringify(value)} is an example URL; the subscription is created but never confirmed, so nothing is delivered`,
            );
        } else if (arnAccount && EXAMPLE_ACCOUNT.test(arnAccount[1])) {
            found.push(
                `${key}: ${JSON.stringify(value)} is in AWS's documentation account ${arnAccount[1]}; IAM refuses a policy naming a principal that does not exist (MalformedPolicyDocument: Invalid principal in policy)`,
            );
        } else if (/^[a-z0-9.-]+\.[a-z]+$/i.test(value) && RESERVED_DOMAIN.test(value)) {
            found.push(
                `${key}: ${JSON.stringify(value)} is a reserved example domain; nobody can delegate it, so its DNS-validated certificates never validate and the update times out waiting for them`,
            );
        }
    }
    return found;
}

/** Every configuration warning for the stack, as the plan prints them. */
export function configWarnings(programDir: string, info: ProgramInfo, stack: string): string[] {
    const warnings = overlappingCidrs(programDir, info, stack);
    const placeholders = placeholderValues(info);
    if (placeholders.length > 0) {
        warnings.push(
            `Pulumi.${stack}.yaml still holds ${placeholders.length} example value${placeholders.length === 1 ? "" : "s"} a real \`pulumi up\` would fail or go nowhere with; replace ${placeholders.length === 1 ? "it" : "each"} before deploying:\n` +
                placeholders.map((p) => `    - ${p}`).join("\n"),
        );
    }
    return warnings;
}

export function formatWarnings(warnings: readonly string[]): string {
    return warnings.length === 0 ? "" : ["", "Warnings", ...warnings.map((w) => `  warning: ${w}`)].join("\n") + "\n";
}
