import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

export const ecsServiceNoPublicIp: PackResourcePolicy = {
    kind: "resource",
    id: "ecs-service-no-public-ip",
    description: "ECS services must not assign public IP addresses to tasks.",
    severity: "high",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: [],
        pciDss: ["1.4.4"],
        securityHub: [
            "ECS.2", // ECS services should not have public IP addresses assigned to them automatically
        ],
    },
    remediation: "Set networkConfiguration.assignPublicIp: false and run tasks in private subnets behind the load balancer.",
    validateResource: validateResourceOfType(aws.ecs.Service, (s, _args, report) => {
        if (s.networkConfiguration?.assignPublicIp === true)
            report("networkConfiguration.assignPublicIp is true; tasks get internet-routable addresses.");
    }),
};
