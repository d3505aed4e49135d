import type { PackResourcePolicy } from "../lib/types";
import { known, UNKNOWN, parseJson, type Inputs } from "../lib/util";
import taggableTypes from "../data/taggable-types.json";

const TAGGABLE = new Set<string>(taggableTypes as string[]);
export const DEFAULT_REQUIRED_TAGS = ["environment", "project", "owner", "cost-centre"];

/** Tag keys the provider applies to every resource (`aws:defaultTags` / the provider's defaultTags input). */
function defaultTagKeys(provider: { props: Inputs } | undefined): Set<string> | typeof UNKNOWN {
    if (!provider) return new Set();
    const raw = known(() => provider.props.defaultTags);
    if (raw === UNKNOWN) return UNKNOWN;
    const parsed = parseJson(raw) as Inputs;
    const tags = parsed?.tags ?? (Array.isArray(parsed) ? parsed[0]?.tags : undefined);
    return new Set(tags && typeof tags === "object" ? Object.keys(tags) : []);
}

/** Advisory: taggable AWS resources carry the required tags, counting the provider's default tags as present. */
export const requiredTags: PackResourcePolicy = {
    kind: "resource",
    id: "required-tags",
    description: "Taggable AWS resources should carry the required tags (the provider's default tags count).",
    severity: "low",
    enforcementLevel: "advisory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["required-tags"],
        pciDss: ["12.5.1"],
        // Tagging controls belong to the AWS Resource Tagging Standard, not FSBP.
        securityHub: [],
    },
    remediation: "Set the tags in the stack's aws:defaultTags (or the resource's tags).",
    configSchema: {
        properties: {
            requiredTags: { type: "array", items: { type: "string" }, description: "Tag keys every taggable resource must carry." },
        },
    },
    validateResource: (args, report) => {
        if (!TAGGABLE.has(args.type)) args.notApplicable("the resource type takes no tags");
        const required = args.getConfig<{ requiredTags?: string[] }>().requiredTags ?? DEFAULT_REQUIRED_TAGS;
        const defaults = defaultTagKeys(args.provider);
        if (defaults === UNKNOWN) return;
        const tags = known(() => args.props.tags);
        if (tags === UNKNOWN) return;
        const own = new Set(tags && typeof tags === "object" ? Object.keys(tags) : []);
        const missing = required.filter((t) => !own.has(t) && !defaults.has(t));
        if (missing.length) report(`missing tags: ${missing.join(", ")}.`);
    },
};
