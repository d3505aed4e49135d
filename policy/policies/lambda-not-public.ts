import { aws } from "../lib/aws";
import { validateResourceOfType } from "@pulumi/policy";
import type { PackResourcePolicy } from "../lib/types";
import { known, setOrUnknown } from "../lib/util";

/**
 * A function is publicly invokable when a permission grants principal "*" without an organisation, account or
 * source-ARN condition, when a service principal may invoke it with neither sourceArn nor sourceAccount (any
 * account's bucket, topic or rule could), or when a function URL (or its permission) uses auth type NONE.
 */
export const lambdaNotPublic: PackResourcePolicy = {
    kind: "resource",
    id: "lambda-not-public",
    description: "Lambda functions must not be invokable by the public or by other accounts' resources, nor layers shared with everyone.",
    severity: "critical",
    enforcementLevel: "mandatory",
    neverSuppressible: false,
    controls: {
        awsConfig: ["lambda-function-public-access-prohibited"],
        pciDss: ["7.2.1"],
        securityHub: [
            "Lambda.1", // Lambda function policies should prohibit public access
        ],
    },
    remediation:
        'Grant invoke to a specific principal with sourceArn (and sourceAccount for S3); use authorizationType "AWS_IAM" on function URLs.',
    validateResource: [
        validateResourceOfType(aws.lambda.Permission, (p, _args, report) => {
            // A condition that is set but not known yet (the ARN of a bucket or rule created in the same update) pins
            // the caller as well as a known one, so a first preview judges the permission like the update will.
            const pinned = (...reads: (() => unknown)[]) => reads.some((r) => setOrUnknown(r));
            if (p.functionUrlAuthType === "NONE") {
                report("functionUrlAuthType is NONE: anyone on the internet can invoke the function URL.");
                return;
            }
            const principal = String(known(() => p.principal) ?? "");
            if (principal === "*") {
                if (
                    !pinned(
                        () => p.principalOrgId,
                        () => p.sourceArn,
                        () => p.sourceAccount,
                    )
                )
                    report('principal is "*" with no principalOrgId, sourceAccount or sourceArn: anyone can invoke the function.');
                return;
            }
            if (
                /\.amazonaws\.com(\.cn)?$/.test(principal) &&
                !pinned(
                    () => p.sourceArn,
                    () => p.sourceAccount,
                )
            ) {
                report(
                    `principal ${principal} has neither sourceArn nor sourceAccount: that service acting for any account can invoke the function.`,
                );
            }
        }),
        // A layer version shared with principal "*" and no organizationId is readable by every AWS account.
        validateResourceOfType(aws.lambda.LayerVersionPermission, (l, _args, report) => {
            if (known(() => l.principal) === "*" && !setOrUnknown(() => l.organizationId))
                report('layer permission: principal is "*" with no organizationId: every AWS account can read the layer version.');
        }),
        validateResourceOfType(aws.lambda.FunctionUrl, (u, _args, report) => {
            if (u.authorizationType === "NONE") report("authorizationType is NONE: the function URL is public.");
        }),
    ],
};
