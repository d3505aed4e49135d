import * as pulumi from "@pulumi/pulumi";

/**
 * Throws a component's argument problems as one ResourceError listing them all (as pulumi-eks does), so a wrong
 * configuration is fixed in one pass instead of one error per run. Nothing happens when there are none.
 */
export function throwArgumentErrors(resource: pulumi.Resource, problems: readonly string[], prefix = ""): void {
    if (problems.length > 0) throw new pulumi.ResourceError(`${prefix}${problems.join("; ")}`, resource);
}
