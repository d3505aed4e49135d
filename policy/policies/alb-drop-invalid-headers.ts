import { aws } from "../lib/aws";
import { ReportViolation, ResourceValidationArgs, validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

function judge(
    lb: { loadBalancerType?: string; dropInvalidHeaderFields?: boolean },
    args: ResourceValidationArgs,
    report: ReportViolation,
): void {
    const type = lb.loadBalancerType ?? "application";
    if (type !== "application") args.notApplicable(`${type} load balancers do not parse HTTP headers`);
    if (lb.dropInvalidHeaderFields !== true)
        report(
            `dropInvalidHeaderFields is ${lb.dropInvalidHeaderFields === false ? "false" : "not set (defaults to false)"}; malformed headers reach the targets (request-smuggling risk).`,
        );
}

export const albDropInvalidHeaders: PackResourcePolicy = {
    kind: "resource",
    id: "alb-drop-invalid-headers",
    description: "Application Load Balancers must drop invalid HTTP header fields.",
    severity: "medium",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["alb-http-drop-invalid-header-enabled"],
        pciDss: ["6.2.4"],
        securityHub: [
            "ELB.4", // Application Load Balancer should be configured to drop invalid http headers
        ],
    },
    remediation: "Set dropInvalidHeaderFields: true on the aws.lb.LoadBalancer.",
    validateResource: [
        validateResourceOfType(aws.lb.LoadBalancer, (lb, args, report) => judge(lb, args, report)),
        validateResourceOfType(aws.alb.LoadBalancer, (lb, args, report) => judge(lb, args, report)),
    ],
};
