// Resolves the alias specs a program sends with each registration to URNs, with parent inheritance, the way the
// Pulumi engine does (pkg/resource/deploy/step_generator.go: collapseAliasToUrn, inheritedChildAlias,
// generateAliases). The engine multiplies a child's aliases by the one alias its parent matched in the old state;
// offline there is no old state, so a child inherits every alias its parent could have matched (the same product the
// SDK's own allAliases computes: N + M × (1 + N)). A later plan diff finds a renamed resource's old URN among these.

import type { Alias } from "@pulumi/pulumi/proto/alias_pb";

/** One alias as the SDK sends it: a URN, or a spec whose empty fields default to the resource's own. */
export interface AliasSpec {
    urn?: string;
    name?: string;
    type?: string;
    stack?: string;
    project?: string;
    parentUrn?: string;
    noParent?: boolean;
}

export interface AliasGoal {
    type: string;
    name: string;
    /** The parent's URN ("" for none). */
    parent: string;
    aliases: AliasSpec[];
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The qualified type of a URN: everything between the project and the name, `parent$…$type`. */
export function qualifiedType(urn: string): string {
    return urn.split("::")[2] ?? "";
}

export function urnName(urn: string): string {
    return urn.substring(urn.lastIndexOf("::") + 2);
}

/** The last type in a URN's qualified type. */
export function urnType(urn: string): string {
    const parts = qualifiedType(urn).split("$");
    return parts[parts.length - 1];
}

/** resource.NewURN: the parent's qualified type, `$`, the type — or the type alone without a parent type. */
export function newUrn(stack: string, project: string, parentType: string, type: string, name: string): string {
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** resource.CreateURN: a URN from name, type and the parent's URN (or none). */
export function createUrn(name: string, type: string, parent: string, project: string, stack: string): string {
    return newUrn(stack, project, parent ? qualifiedType(parent) : "", type, name);
}

export class AliasResolver {
    /** URN -> every alias URN resolved for it, the candidates its children inherit. */
    private readonly resolved = new Map<string, string[]>();

    constructor(
        private readonly stack: string,
        private readonly project: string,
    ) {}

    private collapse(goal: AliasGoal, alias: AliasSpec): string {
        if (alias.urn) return alias.urn;
        const name = alias.name || goal.name;
        const type = alias.type || goal.type;
        let parent = alias.parentUrn || goal.parent;
        if (alias.noParent || (parent && qualifiedType(parent) === ROOT_STACK_TYPE)) parent = "";
        return createUrn(name, type, parent, alias.project || this.project, alias.stack || this.stack);
    }

    private inheritedChildAlias(childType: string, childName: string, parentName: string, parentAlias: string): string {
        // A child named `<parent name>-<role>` follows its parent's rename.
        const aliasName = childName.startsWith(parentName) ? urnName(parentAlias) + childName.substring(parentName.length) : childName;
        return newUrn(this.stack, this.project, qualifiedType(parentAlias), childType, aliasName);
    }

    /** Resolves and remembers the aliases of the resource registered as `urn`. */
    resolve(urn: string, goal: AliasGoal): string[] {
        const result: string[] = [];
        const add = (alias: string) => {
            if (alias !== urn && !result.includes(alias)) result.push(alias);
        };
        for (const alias of goal.aliases) add(this.collapse(goal, alias));
        const parentAliases = goal.parent ? (this.resolved.get(goal.parent) ?? []) : [];
        const parentName = goal.parent ? urnName(goal.parent) : "";
        for (const parentAlias of parentAliases) {
            add(this.inheritedChildAlias(goal.type, goal.name, parentName, parentAlias));
            for (const alias of goal.aliases) {
                const childAlias = this.collapse(goal, alias);
                add(this.inheritedChildAlias(urnType(childAlias), urnName(childAlias), parentName, parentAlias));
            }
        }
        this.resolved.set(urn, result);
        return result;
    }
}

/** Reads the SDK's `pulumirpc.Alias` messages. */
export function aliasSpecsFromRequest(list: Alias[]): AliasSpec[] {
    return list.map((a) => {
        const urn = typeof a.getUrn === "function" ? a.getUrn() : "";
        if (urn) return { urn };
        const spec = a.getSpec?.();
        if (!spec) return {};
        return {
            name: spec.getName() || undefined,
            type: spec.getType() || undefined,
            stack: spec.getStack() || undefined,
            project: spec.getProject() || undefined,
            parentUrn: spec.getParenturn() || undefined,
            noParent: spec.getNoparent() || undefined,
        };
    });
}
