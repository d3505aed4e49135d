// The tier names alone, free of imports: the engine (architecture picture) reads them without loading the SDK.

/** The platform's tiers, in deploy order: the request flow's seven, with clickstream before analytics, then governance and identity. */
export const TIERS = [
    "networking",
    "security",
    "ingress",
    "application",
    "data",
    "events",
    "clickstream",
    "analytics",
    "governance",
    "identity",
] as const;
export type TierName = (typeof TIERS)[number];
