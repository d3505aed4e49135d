// Grants a PBC receives from more than one tier, merged into one PbcAccess per PBC; and the Bedrock grant.
import { PolicyStatement } from "../components/iam";
import { PlatformContext } from "./context";
import { PbcAccess } from "./grants";

/** Bedrock invocation of exactly the foundation models a PBC declares, in the home region. */
export function bedrockAccess(ctx: PlatformContext): Record<string, PbcAccess> {
    const access: Record<string, PbcAccess> = {};
    for (const [name, pbc] of Object.entries(ctx.config.pbcs)) {
        if (pbc.bedrockModels.length === 0) continue;
        access[name] = {
            statements: [
                ctx.partition.apply((partition): PolicyStatement => ({
                    Sid: "InvokeDeclaredBedrockModels",
                    Effect: "Allow",
                    Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                    // Foundation-model ARNs have no account.
                    Resource: [...new Set(pbc.bedrockModels)].map(
                        (m) => `arn:${partition}:bedrock:${ctx.config.region}::foundation-model/${m}`,
                    ),
                })),
            ],
            environment: {},
            parameters: {},
        };
    }
    return access;
}

/** One PbcAccess per PBC from several sources; a variable set by two sources is a programming error. */
export function mergeAccess(...sources: Record<string, PbcAccess>[]): Record<string, PbcAccess> {
    const merged: Record<string, PbcAccess> = {};
    for (const source of sources) {
        for (const [pbc, access] of Object.entries(source)) {
            const into = merged[pbc] ?? (merged[pbc] = { statements: [], environment: {}, parameters: {} });
            for (const key of [...Object.keys(access.environment), ...Object.keys(access.parameters)]) {
                if (key in into.environment || key in into.parameters)
                    throw new Error(`PBC ${pbc}: environment variable ${key} is set by two grants`);
            }
            into.statements.push(...access.statements);
            if (access.assignedIdStatements) (into.assignedIdStatements ??= []).push(...access.assignedIdStatements);
            Object.assign(into.environment, access.environment);
            Object.assign(into.parameters, access.parameters);
        }
    }
    return merged;
}
