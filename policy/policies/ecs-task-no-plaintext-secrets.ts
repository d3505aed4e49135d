import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { containersOf } from "./ecs-task-not-privileged";

/** Names that say "this is a credential" (PASS at the start of a word: PASSWORD, DB_PASS, PASSPHRASE, not BYPASS) … */
const SECRET_NAME =
    /((^|[_-])PASS|PWD|SECRET|TOKEN|API[_-]?KEY|PRIVATE[_-]?KEY|ACCESS[_-]?KEY|CREDENTIAL|AUTH[_-]?KEY|CONNECTION[_-]?STRING|DSN)/i;
/**
 * … unless they only point at one (an ARN, URL, id, name, path, region) or describe one (its length, lifetime or
 * timeout: TOKEN_TTL_SECONDS, PASSWORD_MIN_LENGTH, SESSION_SECRET_ROTATION_DAYS).
 */
const REFERENCE_NAME =
    /(_ARN|_URL|_URI|_ENDPOINT|_ID|_NAME|_PATH|_PARAM|_PARAMETER|_REGION|_FILE|_LENGTH|_TTL|_URL_TEMPLATE|_TIMEOUT|_EXPIRY|_(MS|MILLIS|SECONDS|SECS|MINUTES|MINS|HOURS|DAYS))$/i;
/**
 * Names that are credentials whatever their value, and despite a reference-like suffix: the keys AWS Security Hub
 * ECS.8 (AWS Config ecs-no-environment-secrets) fails on — AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY is a
 * long-lived IAM key pair, ECS_ENGINE_AUTH_DATA holds private-registry credentials.
 */
const CREDENTIAL_NAMES = new Set(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"]);
/** Values that are credentials whatever the variable is called. */
const SECRET_VALUES: { re: RegExp; what: string }[] = [
    { re: /\bAKIA[0-9A-Z]{16}\b/, what: "an AWS access key id" },
    { re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: "a private key" },
    { re: /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]+:[^/@\s]+@/i, what: "a URL with an embedded password" },
];

/** True when the name alone makes the variable a credential (Security Hub ECS.8's keys), whatever its value. */
export function credentialName(name: string): boolean {
    return CREDENTIAL_NAMES.has(name.toUpperCase());
}

/** True when a variable's name marks a credential (and not a reference to one). */
export function secretLikeName(name: string): boolean {
    return CREDENTIAL_NAMES.has(name.toUpperCase()) || (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name));
}

/** Why one variable holds a plaintext secret, or undefined. */
export function plaintextSecret(name: string, value: string): string | undefined {
    const byValue = SECRET_VALUES.find((s) => s.re.test(value));
    if (byValue) return `its value is ${byValue.what}`;
    if (CREDENTIAL_NAMES.has(name.toUpperCase())) return "Security Hub ECS.8 names it a credential";
    if (value && secretLikeName(name) && !/^arn:aws/.test(value)) return "its name marks a credential";
    return undefined;
}

export function plaintextSecrets(env: unknown): { name: string; why: string }[] {
    const out: { name: string; why: string }[] = [];
    for (const e of Array.isArray(env) ? env : []) {
        const name = String(e?.name ?? "");
        const value = e?.value === undefined || e?.value === null ? "" : String(e.value);
        const why = plaintextSecret(name, value);
        if (why) out.push({ name, why });
    }
    return out;
}

export const ecsTaskNoPlaintextSecrets: PackResourcePolicy = {
    kind: "resource",
    id: "ecs-task-no-plaintext-secrets",
    description: "ECS container definitions must not put secrets in plain environment variables.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["ecs-no-environment-secrets"],
        pciDss: ["8.3.2", "8.6.2"],
        securityHub: [
            "ECS.8", // Secrets should not be passed as container environment variables
        ],
    },
    remediation:
        "Move the value to Secrets Manager or SSM Parameter Store and reference it from the container's `secrets` list (valueFrom).",
    validateResource: validateResourceOfType(aws.ecs.TaskDefinition, (t, _args, report) => {
        const containers = containersOf(t.containerDefinitions);
        if (!containers) return; // ecs-task-not-privileged reports malformed definitions
        for (const c of containers) {
            for (const s of plaintextSecrets(c?.environment))
                report(`container ${c?.name ?? "(unnamed)"}: environment variable ${s.name} looks like a secret (${s.why}).`);
        }
    }),
};
