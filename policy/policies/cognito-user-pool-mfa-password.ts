import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/** The weakest password policy the pack accepts: PCI DSS v4.0 8.3.6 asks for 12 characters with letters and digits. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Cognito user pools must offer MFA (mfaConfiguration OPTIONAL or ON with a second factor enabled) and a strong
 * password policy: at least 12 characters, lower- and upper-case letters, digits and symbols required. Without a
 * passwordPolicy Cognito applies 8 characters, which is too short.
 */
export const cognitoUserPoolMfaPassword: PackResourcePolicy = {
    kind: "resource",
    id: "cognito-user-pool-mfa-password",
    description: "Cognito user pools must make MFA available and require strong passwords (12+ characters, all four character classes).",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: [],
        pciDss: ["8.3.6", "8.4.2"],
        // Not Cognito.3: it also limits temporary password validity (7 days by default), which this policy does not check; Cognito.5
        // (MFA) is not in the FSBP standard.
        securityHub: [],
    },
    remediation:
        "Set mfaConfiguration to OPTIONAL or ON with softwareTokenMfaConfiguration.enabled (or e-mail/SMS MFA), and passwordPolicy.minimumLength >= 12 with requireLowercase, requireUppercase, requireNumbers and requireSymbols true.",
    validateResource: validateResourceOfType(aws.cognito.UserPool, (pool, _args, report) => {
        const mfa = pool.mfaConfiguration ?? "OFF";
        if (mfa === "OFF") {
            report("mfaConfiguration is OFF (the default): users cannot enrol a second factor.");
        } else {
            const totp = pool.softwareTokenMfaConfiguration?.enabled === true;
            const sms = !!pool.smsConfiguration;
            const email = !!pool.emailMfaConfiguration;
            if (!totp && !sms && !email)
                report(
                    `mfaConfiguration is ${mfa} but no factor is enabled (softwareTokenMfaConfiguration, smsConfiguration or emailMfaConfiguration).`,
                );
        }
        const policy = pool.passwordPolicy;
        if (!policy) {
            report(
                `passwordPolicy is not set: Cognito's default allows ${8}-character passwords (at least ${MIN_PASSWORD_LENGTH} required).`,
            );
            return;
        }
        const weaknesses: string[] = [];
        const length = policy.minimumLength ?? 8;
        if (length < MIN_PASSWORD_LENGTH) weaknesses.push(`minimumLength ${length} < ${MIN_PASSWORD_LENGTH}`);
        for (const flag of ["requireLowercase", "requireUppercase", "requireNumbers", "requireSymbols"] as const) {
            if (policy[flag] !== true) weaknesses.push(`${flag} is not true`);
        }
        if (weaknesses.length > 0) report(`weak password policy: ${weaknesses.join(", ")}.`);
    }),
};
