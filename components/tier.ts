import * as pulumi from "@pulumi/pulumi";

export { TIERS } from "./tierNames";
export type { TierName } from "./tierNames";
import type { TierName } from "./tierNames";

/**
 * Groups one tier's resources: every resource of the tier has this component among its parents,
 * so the tier of any resource can be read from its URN's parent chain.
 */
export class Tier extends pulumi.ComponentResource {
    constructor(
        readonly tier: TierName,
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super(`retail:${tier}:Tier`, tier, {}, opts);
    }

    /** Registers the tier's public outputs once its resources are declared. */
    complete(outputs: Record<string, unknown>): void {
        this.registerOutputs(outputs);
    }
}
