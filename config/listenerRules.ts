// ALB listener-rule priorities for the PBCs: one fixed band per PBC, so adding or removing a PBC never renumbers
// another's rules (priorities are unique per listener; a renumbering is a PriorityInUse race on update).

/** An ALB listener rule holds at most 5 condition values across all its conditions. */
export const MAX_RULE_CONDITION_VALUES = 5;
/** Values reserved for the X-Origin-Verify header: the current secret and, during a rotation, the previous one. */
export const ORIGIN_VERIFY_VALUES = 2;
/** So each rule carries at most this many path patterns. */
export const PATTERNS_PER_RULE = MAX_RULE_CONDITION_VALUES - ORIGIN_VERIFY_VALUES;
/** Priorities reserved per PBC (its first rule takes the band's first value); so at most this many rules per PBC. */
export const PRIORITY_BAND = 10;
/** ALB listener rule priorities are 1-50000 (ELBv2 CreateRule). */
export const MAX_PRIORITY = 50000;
/** The longest path pattern the config accepts (ALB: 128 characters). */
export const MAX_PATTERN_LENGTH = 128;
/** Derived bands: one level per possible specificity (0-128), this many name-hashed slots per level. */
const SLOTS_PER_LEVEL = Math.floor(MAX_PRIORITY / ((MAX_PATTERN_LENGTH + 1) * PRIORITY_BAND)); // 38

export interface PlannedRule {
    pbc: string;
    /** 0-based index of this rule among its PBC's rules. */
    index: number;
    priority: number;
    pathPatterns: string[];
}

export interface RoutedPbc {
    name: string;
    pathPatterns: readonly string[];
    /** Explicit first priority of the PBC's band; derived from its own patterns and name when absent. */
    listenerPriority?: number;
}

/** Literal characters of a pattern: the more a pattern spells out, the narrower it matches. */
export function specificity(pattern: string): number {
    return pattern.replace(/[*?]/g, "").length;
}

/** FNV-1a, 32 bit: a stable hash of the PBC name (same in every Node version, unlike anything locale-based). */
function fnv1a(text: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
}

/**
 * The first priority of a PBC's band when the config does not set one. It depends on nothing but the PBC's own
 * name and patterns: bands are ordered by the PBC's broadest pattern, narrowest first (a pattern of s literal
 * characters gets level 128 - s, so "/*" sits near the end), and the name picks one of 38 slots in that level.
 * Two PBCs can land in the same slot; validation reports it and an explicit `listenerPriority` settles it.
 */
export function derivedPriorityBand(name: string, pathPatterns: readonly string[]): number {
    const broadest = Math.min(...pathPatterns.map(specificity));
    const level = MAX_PATTERN_LENGTH - Math.min(broadest, MAX_PATTERN_LENGTH);
    return (level * SLOTS_PER_LEVEL + (fnv1a(name) % SLOTS_PER_LEVEL)) * PRIORITY_BAND + 1;
}

/**
 * True when some request path matches both ALB path patterns (`*` any run of characters, `?` exactly one,
 * case-sensitive). Exact for these wildcards: a search over pairs of positions, memoised.
 */
export function patternsOverlap(a: string, b: string): boolean {
    const seen = new Set<number>();
    const visit = (i: number, j: number): boolean => {
        if (i === a.length && j === b.length) return true;
        const key = i * (b.length + 1) + j;
        if (seen.has(key)) return false;
        seen.add(key);
        if (i < a.length && a[i] === "*" && visit(i + 1, j)) return true; // "*" matching nothing
        if (j < b.length && b[j] === "*" && visit(i, j + 1)) return true;
        if (i < a.length && j < b.length) {
            const x = a[i];
            const y = b[j];
            if (x === "*" && y === "*") return false; // both consuming is covered by either matching nothing first
            const wild = (c: string) => c === "*" || c === "?";
            if (wild(x) || wild(y) || x === y) return visit(x === "*" ? i : i + 1, y === "*" ? j : j + 1);
        }
        return false;
    };
    return visit(0, 0);
}

export interface RuleIssue {
    pbc: string;
    /** Key under `pbcs.<pbc>` the problem belongs to. */
    key: (string | number)[];
    message: string;
}

/**
 * Splits each PBC's path patterns (narrowest first) into rules of at most {@link PATTERNS_PER_RULE} patterns, at
 * consecutive priorities from the PBC's band, and checks the whole set: bands within 1-50000 and not overlapping,
 * and every pattern ahead of any broader pattern of another PBC that matches some of the same paths (the first
 * matching rule wins, so the broader one would swallow its traffic). Every problem is returned, naming both sides.
 */
export function checkListenerRules(pbcs: readonly RoutedPbc[]): { rules: PlannedRule[]; issues: RuleIssue[] } {
    const issues: RuleIssue[] = [];
    const rules: PlannedRule[] = [];
    const bands: { pbc: string; first: number; explicit: boolean }[] = [];
    for (const pbc of [...pbcs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const sorted = [...new Set(pbc.pathPatterns)].sort((a, b) => specificity(b) - specificity(a) || (a < b ? -1 : a > b ? 1 : 0));
        if (sorted.length === 0) continue;
        const count = Math.ceil(sorted.length / PATTERNS_PER_RULE);
        if (count > PRIORITY_BAND) {
            issues.push({
                pbc: pbc.name,
                key: ["pathPatterns"],
                message: `must hold at most ${PRIORITY_BAND * PATTERNS_PER_RULE} patterns (${PRIORITY_BAND} listener rules of ${PATTERNS_PER_RULE}), got ${sorted.length}`,
            });
            continue;
        }
        const explicit = pbc.listenerPriority !== undefined;
        const first = pbc.listenerPriority ?? derivedPriorityBand(pbc.name, sorted);
        if (first < 1 || first + PRIORITY_BAND - 1 > MAX_PRIORITY) {
            issues.push({
                pbc: pbc.name,
                key: ["listenerPriority"],
                message: `must leave a band of ${PRIORITY_BAND} priorities within 1-${MAX_PRIORITY} (at most ${MAX_PRIORITY - PRIORITY_BAND + 1}), got ${first}`,
            });
            continue;
        }
        bands.push({ pbc: pbc.name, first, explicit });
        for (let i = 0; i < count; i++) {
            rules.push({
                pbc: pbc.name,
                index: i,
                priority: first + i,
                pathPatterns: sorted.slice(i * PATTERNS_PER_RULE, (i + 1) * PATTERNS_PER_RULE),
            });
        }
    }
    const range = (first: number) => `${first}-${first + PRIORITY_BAND - 1}`;
    for (let i = 0; i < bands.length; i++) {
        for (let j = i + 1; j < bands.length; j++) {
            const [a, b] = [bands[i], bands[j]];
            if (Math.abs(a.first - b.first) >= PRIORITY_BAND) continue;
            const how = (x: typeof a) => (x.explicit ? "listenerPriority" : "derived band");
            issues.push({
                pbc: b.pbc,
                key: ["listenerPriority"],
                message: `priorities ${range(b.first)} (${how(b)}) overlap PBC ${JSON.stringify(a.pbc)}'s ${range(a.first)} (${how(a)}); set a free band of ${PRIORITY_BAND} (priorities are unique per listener)`,
            });
        }
    }
    for (const narrow of rules) {
        for (const p of narrow.pathPatterns) {
            for (const broad of rules) {
                if (broad.pbc === narrow.pbc || broad.priority > narrow.priority) continue;
                const q = broad.pathPatterns.find((q) => specificity(q) < specificity(p) && patternsOverlap(p, q));
                if (!q) continue;
                issues.push({
                    pbc: narrow.pbc,
                    key: ["listenerPriority"],
                    message: `${JSON.stringify(p)} (priority ${narrow.priority}) comes after PBC ${JSON.stringify(broad.pbc)}'s broader ${JSON.stringify(q)} (priority ${broad.priority}), which matches the same paths first; give ${narrow.pbc} a band below ${broad.priority} or ${broad.pbc} one above ${narrow.priority}`,
                });
            }
        }
    }
    rules.sort((a, b) => a.priority - b.priority);
    return { rules, issues };
}

/** The listener rules of `pbcs`, or an error listing every problem (config validation reports them first). */
export function planListenerRules(pbcs: readonly RoutedPbc[]): PlannedRule[] {
    const { rules, issues } = checkListenerRules(pbcs);
    if (issues.length) throw new Error(`listener rules: ${issues.map((i) => `pbcs.${i.pbc}.${i.key.join(".")}: ${i.message}`).join("; ")}`);
    return rules;
}
