import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { known, UNKNOWN } from "../lib/util";
import { credentialName, plaintextSecret, secretLikeName } from "./ecs-task-no-plaintext-secrets";

/**
 * Lambda environment variables are readable by anyone with lambda:GetFunctionConfiguration: a credential there is
 * in plaintext. Same rules as for ECS containers. A value not known at preview is an output of another resource
 * (never a literal secret), so only a credential-like name with such a value waits for the update.
 */
export const lambdaNoPlaintextSecrets: PackResourcePolicy = {
    kind: "resource",
    id: "lambda-no-plaintext-secrets",
    description: "Lambda functions must not put secrets in plain environment variables.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: [],
        pciDss: ["8.3.2", "8.6.2"],
        // No FSBP control checks Lambda environment variables.
        securityHub: [],
    },
    remediation:
        "Keep the secret in Secrets Manager (or SSM SecureString) and pass its ARN in a …_SECRET_ARN variable; read it at run time (e.g. with the Parameters and Secrets Lambda extension).",
    validateResource: validateResourceOfType(aws.lambda.Function, (f, _args, report) => {
        const vars = known(() => f.environment?.variables);
        if (vars === UNKNOWN) {
            void Object.keys(f.environment?.variables ?? {}); // rethrows "not known at preview" for the analyzer
            return;
        }
        let deferred: unknown;
        for (const name of Object.keys((vars ?? {}) as Record<string, unknown>)) {
            const value = known(() => (f.environment!.variables as Record<string, string>)[name]);
            if (value === UNKNOWN) {
                // Whatever the value will be, an IAM key pair or registry credentials in plain environment variables are
                // the defect: judged now, as the update will.
                if (credentialName(name)) {
                    report(`environment variable ${name} looks like a secret (${plaintextSecret(name, "x")}) [platform rule].`);
                    continue;
                }
                if (secretLikeName(name)) {
                    try {
                        void (f.environment!.variables as Record<string, string>)[name];
                    } catch (e) {
                        deferred ??= e;
                    }
                }
                continue;
            }
            const why = plaintextSecret(name, value === undefined || value === null ? "" : String(value));
            if (why) report(`environment variable ${name} looks like a secret (${why}) [platform rule].`);
        }
        if (deferred) throw deferred;
    }),
};
