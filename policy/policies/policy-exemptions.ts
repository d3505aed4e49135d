import type { PackStackPolicy } from "../lib/types";
import { EXEMPTIONS_POLICY_ID, currentExemptions, loadExemptionConfig } from "../lib/exemptions";
import { globToRegExp } from "../lib/util";

/**
 * Holds the pack's exemption list (config `{ "policy-exemptions": { "exemptions": [...] } }`). It runs first for
 * every resource and for the stack, loading the list the other policies consult; for the stack it reports every
 * refused entry (no reason, no or past expiry, unknown or never-suppressible policy) as a mandatory violation, and an
 * entry that matches no resource of the stack as advisory.
 */
export const policyExemptions: PackStackPolicy = {
    kind: "stack",
    id: EXEMPTIONS_POLICY_ID,
    description: "Policy exemptions must name a suppressible policy, a resource, a reason and an expiry date that has not passed.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: [],
        pciDss: ["12.3.1"],
        // Governs the pack's own exemptions; no AWS resource setting to check.
        securityHub: [],
    },
    remediation:
        'Fix or remove the exemption entry in the pack config (policy/policy-config.json): { policy, resource, reason, expires: "YYYY-MM-DD" }.',
    configSchema: {
        properties: {
            exemptions: {
                type: "array",
                description: "Per-resource exemptions: { policy, resource (URN or glob), reason, expires (YYYY-MM-DD) }.",
                items: {
                    type: "object",
                    properties: {
                        policy: { type: "string" },
                        resource: { type: "string" },
                        reason: { type: "string" },
                        expires: { type: "string" },
                    },
                },
            },
        },
    },
    validateResource: (args) => {
        loadExemptionConfig(args.getConfig<{ exemptions?: unknown }>());
        args.notApplicable("loads the exemption list");
    },
    validateStack: (args, report) => {
        loadExemptionConfig(args.getConfig<{ exemptions?: unknown }>());
        const state = currentExemptions();
        for (const p of state.problems) report(p.message);
        const reportObject = report as unknown as (i: { message: string; enforcementLevel: string; severity: string }) => void;
        for (const e of state.active) {
            const re = globToRegExp(e.resource);
            if (!args.resources.some((r) => re.test(r.urn))) {
                reportObject({
                    message: `exemption #${e.index + 1} (${e.policy} on ${e.resource}) matches no resource of this stack; remove it.`,
                    enforcementLevel: "advisory",
                    severity: "low",
                });
            }
        }
    },
};
