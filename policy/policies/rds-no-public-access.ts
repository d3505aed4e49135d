import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/**
 * Every RDS instance and every Aurora cluster instance — provisioned or Serverless v2 (`db.serverless`) — must set
 * publiclyAccessible: false explicitly. Left unset, RDS decides from the subnet group and VPC (public in a default
 * VPC), so absence is a violation.
 */
export const rdsNoPublicAccess: PackResourcePolicy = {
    kind: "resource",
    id: "rds-no-public-access",
    description: "RDS instances and Aurora cluster instances must set publiclyAccessible explicitly to false.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["rds-instance-public-access-check"],
        pciDss: ["1.4.4"],
        // The policy also requires publiclyAccessible to be set explicitly.
        securityHub: [
            "RDS.2", // RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration
        ],
    },
    remediation: "Set publiclyAccessible: false on the aws.rds.ClusterInstance / aws.rds.Instance.",
    validateResource: [
        validateResourceOfType(aws.rds.ClusterInstance, (i, _args, report) => {
            if (i.publiclyAccessible === false) return;
            const kind = i.instanceClass === "db.serverless" ? "Aurora Serverless v2 cluster instance" : "Aurora cluster instance";
            report(
                i.publiclyAccessible === true
                    ? `the ${kind} is publicly accessible.`
                    : `publiclyAccessible is not set on the ${kind}; set it to false.`,
            );
        }),
        validateResourceOfType(aws.rds.Instance, (i, _args, report) => {
            if (i.publiclyAccessible === false) return;
            report(
                i.publiclyAccessible === true ? "the instance is publicly accessible." : "publiclyAccessible is not set; set it to false.",
            );
        }),
    ],
};
