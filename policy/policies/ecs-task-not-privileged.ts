import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { asArray, parseJson, type Inputs } from "../lib/util";

/** Parses a task definition's containerDefinitions (a JSON string). */
export function containersOf(defs: unknown): Inputs[] | undefined {
    const parsed = parseJson(defs);
    return Array.isArray(parsed) ? parsed : undefined;
}

export const ecsTaskNotPrivileged: PackResourcePolicy = {
    kind: "resource",
    id: "ecs-task-not-privileged",
    description: "ECS containers must not run privileged or with all Linux capabilities added.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["ecs-containers-nonprivileged"],
        pciDss: ["2.2.1", "7.2.1"],
        // The policy also refuses added ALL/SYS_ADMIN capabilities.
        securityHub: [
            "ECS.4", // ECS containers should run as non-privileged
        ],
    },
    remediation: 'Remove privileged: true and linuxParameters.capabilities.add ["ALL"/"SYS_ADMIN"] from the container definitions.',
    validateResource: validateResourceOfType(aws.ecs.TaskDefinition, (t, _args, report) => {
        const containers = containersOf(t.containerDefinitions);
        if (!containers) {
            report("containerDefinitions is not a JSON array of container definitions.");
            return;
        }
        for (const c of containers) {
            const name = c?.name ?? "(unnamed)";
            if (c?.privileged === true) report(`container ${name} is privileged.`);
            const added = asArray(c?.linuxParameters?.capabilities?.add).map((x: unknown) => String(x).toUpperCase());
            const risky = added.filter((x) => x === "ALL" || x === "SYS_ADMIN");
            if (risky.length) report(`container ${name} adds capabilities ${risky.join(", ")}.`);
        }
    }),
};
