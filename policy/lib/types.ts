// The shape every policy of the pack exports: metadata plus pure validation functions.
// Policies are plain objects so tests, the docs generator and the offline engine can import them without
// constructing a PolicyPack (whose constructor starts the analyzer's gRPC server).
import type { EnforcementLevel, PolicyConfigSchema, ResourceValidation, Severity, StackValidation } from "@pulumi/policy";

export interface ControlMapping {
    /** AWS Config managed rule names this policy corresponds to ("" entries are not allowed; use [] for none). */
    awsConfig: string[];
    /** PCI DSS v4.0 requirement numbers, e.g. "3.5.1". */
    pciDss: string[];
    /**
     * AWS Security Hub control ids of the AWS Foundational Security Best Practices standard, e.g. "SQS.1", that check
     * the same setting on the resources the policy judges (the policy may check more; [] where no FSBP control does).
     * Each id must be listed, with its title, in policy/data/security-hub-controls.json.
     */
    securityHub: string[];
}

interface PackPolicyBase {
    /** Policy name as the CLI shows it: lower-case, `<service>-<resource>-<check>`. */
    id: string;
    /** One sentence, ending with a period. */
    description: string;
    severity: Severity;
    /** Default enforcement level; config may change it unless the policy is never-suppressible. */
    enforcementLevel: EnforcementLevel;
    /** True: exemptions are refused and the violation is always reported as mandatory. */
    neverSuppressible: boolean;
    controls: ControlMapping;
    /** What to change to comply. */
    remediation: string;
    configSchema?: PolicyConfigSchema;
}

export interface PackResourcePolicy extends PackPolicyBase {
    kind: "resource";
    validateResource: ResourceValidation | ResourceValidation[];
}

export interface PackStackPolicy extends PackPolicyBase {
    kind: "stack";
    validateStack: StackValidation;
    /** Optional per-resource hook (the exemptions policy uses it to load its config before other policies run). */
    validateResource?: ResourceValidation;
}

export type PackPolicy = PackResourcePolicy | PackStackPolicy;
