// Shapes shared by the offline engine, the policy-pack runner and the tests.

/** Resource options as recorded from the program's RegisterResource requests. */
export interface RecordedOptions {
    protect: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace: boolean;
    retainOnDelete: boolean;
    /** Alias URNs, resolved with parent inheritance as the Pulumi engine does (engine/aliases.ts). */
    aliases: string[];
    additionalSecretOutputs: string[];
    replaceOnChanges: string[];
    customTimeouts?: { create?: string; update?: string; delete?: string };
    provider?: string;
    dependsOn: string[];
}

/** How a resource's physical name comes about (engine/naming.ts). */
export interface NamingRecord {
    /** The input property that holds the name; absent for types without one. */
    property?: string;
    /** The physical name, when known at plan time. */
    name?: string;
    mode: "explicit" | "autonamed" | "prefixed" | "terraform-default" | "none";
    /** The provider replaces this resource delete-before-replace (an explicit name, or the type's own rule). */
    deleteBeforeReplace: boolean;
}

/** One resource as the engine saw it registered, with everything an analyzer needs. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /** Parent URN; undefined only for the root stack resource. */
    parent?: string;
    /** The tier read from the parent chain (`retail:<tier>:…` components), or null. */
    tier: string | null;
    custom: boolean;
    /** Inputs for printing/JSON: secret leaves replaced by "[secret]", unknowns by "[unknown]". */
    inputs: Record<string, unknown>;
    /** Inputs with real values (secrets unwrapped, unknowns undefined): what policies evaluate. */
    rawInputs: Record<string, unknown>;
    /** Dotted paths of the inputs that are secret. */
    secretPaths: string[];
    /** Property name -> URNs it depends on. */
    propertyDependencies: Record<string, string[]>;
    options: RecordedOptions;
    /** Set for the types the naming rules cover (and those the provider always replaces delete-before-replace). */
    naming?: NamingRecord;
}

export interface PolicyViolation {
    policy: string;
    enforcement: "advisory" | "mandatory" | "remediate" | "disabled";
    severity: "low" | "medium" | "high" | "critical";
    /** URN of the resource, or "" for a stack-wide violation without one. */
    urn: string;
    message: string;
}

export interface PolicyExemptionUse {
    policy: string;
    urn: string;
    reason: string;
    expires: string;
}

export interface PolicyReport {
    violations: PolicyViolation[];
    exempted: PolicyExemptionUse[];
}
