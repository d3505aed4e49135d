// The one line an exemption that suppressed a violation reports, and its parser. Kept free of imports: the offline
// engine reads these lines back from the analyzer without loading the pack's runtime.

export const EXEMPTIONS_POLICY_ID = "policy-exemptions";

export function exemptionMessage(e: { policy: string; reason: string; expires: string }): string {
    return `exempted ${e.policy}: ${e.reason} (expires ${e.expires})`;
}

/** Parses {@link exemptionMessage}; undefined for any other message. */
export function parseExemptionMessage(message: string): { policy: string; reason: string; expires: string } | undefined {
    const m = /^exempted ([a-z0-9][a-z0-9-]*): ([\s\S]*) \(expires (\d{4}-\d{2}-\d{2})\)$/.exec(message.trim());
    return m ? { policy: m[1], reason: m[2], expires: m[3] } : undefined;
}
