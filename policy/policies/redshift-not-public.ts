import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";

/** Redshift Serverless workgroups (and provisioned clusters) default to private; setting publiclyAccessible: true fails. */
export const redshiftNotPublic: PackResourcePolicy = {
    kind: "resource",
    id: "redshift-not-public",
    description: "Redshift Serverless workgroups and Redshift clusters must not be publicly accessible.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["redshift-cluster-public-access-check"],
        pciDss: ["1.4.4"],
        securityHub: [
            "Redshift.1", // Amazon Redshift clusters should prohibit public access
            "RedshiftServerless.3", // Redshift Serverless workgroups should prohibit public access
        ],
    },
    remediation: "Remove publiclyAccessible or set it to false.",
    validateResource: [
        validateResourceOfType(aws.redshiftserverless.Workgroup, (w, _args, report) => {
            if (w.publiclyAccessible === true) report("the workgroup is publicly accessible.");
        }),
        validateResourceOfType(aws.redshift.Cluster, (c, _args, report) => {
            if (c.publiclyAccessible === true) report("the cluster is publicly accessible.");
        }),
    ],
};
