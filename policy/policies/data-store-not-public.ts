import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { asArray, known, parseJson, UNKNOWN } from "../lib/util";

/**
 * Search domains, streaming clusters and graph databases must not have a public endpoint: an OpenSearch domain
 * without vpcOptions gets an internet endpoint, MSK public access gives brokers public addresses, and a Neptune
 * instance can be made publicly accessible. (RDS, Redshift: rds-no-public-access, redshift-not-public.)
 */
export const dataStoreNotPublic: PackResourcePolicy = {
    kind: "resource",
    id: "data-store-not-public",
    description: "OpenSearch domains and Serverless collections, MSK clusters and Neptune instances must not have a public endpoint.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: true,
    controls: {
        awsConfig: ["opensearch-in-vpc-only"],
        pciDss: ["1.3.1", "1.4.4"],
        // Neptune instance public access has no FSBP control.
        securityHub: [
            "Opensearch.2", // OpenSearch domains should not be publicly accessible
            "MSK.4", // MSK clusters should have public access disabled
        ],
    },
    remediation:
        'Give OpenSearch domains vpcOptions with data subnets; keep MSK connectivityInfo.publicAccess.type "DISABLED"; set publiclyAccessible false on Neptune instances.',
    validateResource: [
        validateResourceOfType(aws.opensearch.Domain, (d, _args, report) => {
            const vpc = known(() => d.vpcOptions);
            if (vpc === undefined || vpc === null)
                report("vpcOptions is not set: the domain gets a public internet endpoint [AWS Config opensearch-in-vpc-only].");
        }),
        validateResourceOfType(aws.msk.Cluster, (c, _args, report) => {
            const type = known(() => c.brokerNodeGroupInfo?.connectivityInfo?.publicAccess?.type);
            if (type !== UNKNOWN && type !== undefined && type !== "DISABLED")
                report(
                    `brokerNodeGroupInfo.connectivityInfo.publicAccess.type is "${type}": brokers get public addresses [platform rule].`,
                );
        }),
        // An OpenSearch Serverless network policy is a JSON list of rule sets; AllowFromPublic true opens the
        // collections (or dashboards) it names to the internet.
        validateResourceOfType(aws.opensearch.ServerlessSecurityPolicy, (sp, args, report) => {
            if (known(() => sp.type) !== "network") {
                args.notApplicable("only network policies decide public access");
                return;
            }
            const doc = parseJson(sp.policy);
            asArray(doc as Record<string, unknown>[]).forEach((rule, i) => {
                if (rule && rule.AllowFromPublic === true)
                    report(
                        `network policy rule #${i + 1} has AllowFromPublic true: its collections have a public endpoint [platform rule].`,
                    );
            });
        }),
        validateResourceOfType(aws.neptune.ClusterInstance, (i, _args, report) => {
            if (known(() => i.publiclyAccessible) === true) report("publiclyAccessible is true [platform rule].");
        }),
    ],
};
