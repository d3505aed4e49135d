import { runResource, runStack, StackResource, UNKNOWN } from "./harness";
import { compliant, violates, notApplicable } from "./assert";
import { kmsKeyRotation } from "../../policy/policies/kms-key-rotation";
import { iamNoWildcardAdmin } from "../../policy/policies/iam-no-wildcard-admin";
import { sqsQueueDeadLetter } from "../../policy/policies/sqs-queue-dead-letter";
import { requiredTags } from "../../policy/policies/required-tags";

const doc = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("policy: keys, identity, messaging, tags", () => {
    describe("kms-key-rotation", () => {
        it("passes rotation on", async () =>
            compliant(await runResource(kmsKeyRotation, { type: "aws:kms/key:Key", props: { enableKeyRotation: true } })));
        it("fails rotation off", async () =>
            violates(await runResource(kmsKeyRotation, { type: "aws:kms/key:Key", props: {} }), /not set/));
        it("is not applicable to asymmetric keys", async () =>
            notApplicable(
                await runResource(kmsKeyRotation, {
                    type: "aws:kms/key:Key",
                    props: { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" },
                }),
            ));
    });

    describe("iam-no-wildcard-admin", () => {
        const pol = (statements: unknown[]) => ({ type: "aws:iam/policy:Policy", props: { policy: doc(statements) } });
        it("passes specific actions on * (Lambda VPC access)", async () =>
            compliant(
                await runResource(
                    iamNoWildcardAdmin,
                    pol([
                        {
                            Effect: "Allow",
                            Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"],
                            Resource: "*",
                        },
                    ]),
                ),
            ));
        it("fails * on *", async () =>
            violates(await runResource(iamNoWildcardAdmin, pol([{ Effect: "Allow", Action: "*", Resource: "*" }])), /full administrator/));
        it("fails iam:PassRole on *", async () =>
            violates(
                await runResource(iamNoWildcardAdmin, {
                    type: "aws:iam/rolePolicy:RolePolicy",
                    props: { role: "r", policy: doc([{ Effect: "Allow", Action: ["iam:PassRole"], Resource: "*" }]) },
                }),
                /iam:PassRole/,
            ));
        it("fails iam:* on * (covers PassRole)", async () =>
            violates(await runResource(iamNoWildcardAdmin, pol([{ Effect: "Allow", Action: "iam:*", Resource: "*" }])), /iam:\*/));
        it("fails NotAction with Allow on *", async () =>
            violates(await runResource(iamNoWildcardAdmin, pol([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }])), /NotAction/));
        it("passes PassRole on a specific role", async () =>
            compliant(
                await runResource(
                    iamNoWildcardAdmin,
                    pol([{ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/task" }]),
                ),
            ));
        it("checks role inline policies and AdministratorAccess", async () =>
            violates(
                await runResource(iamNoWildcardAdmin, {
                    type: "aws:iam/role:Role",
                    props: { assumeRolePolicy: "{}", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
                }),
                /AdministratorAccess/,
            ));
        it("is not applicable elsewhere", async () =>
            notApplicable(await runResource(iamNoWildcardAdmin, { type: "aws:sqs/queue:Queue", props: {} })));
    });

    describe("sqs-queue-dead-letter", () => {
        const q = (name: string, props: Record<string, unknown> = {}, deps?: Record<string, string[]>): StackResource => ({
            type: "aws:sqs/queue:Queue",
            name,
            props,
            deps,
        });
        it("passes a queue with a DLQ, and the DLQ itself", async () =>
            compliant(await runStack(sqsQueueDeadLetter, [q("dlq"), q("orders", { redrivePolicy: UNKNOWN }, { redrivePolicy: ["dlq"] })])));
        it("recognises the DLQ by ARN value", async () =>
            compliant(
                await runStack(sqsQueueDeadLetter, [
                    q("dlq", { arn: "arn:aws:sqs:eu-west-1:1:dlq" }),
                    q("orders", {
                        redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:1:dlq", maxReceiveCount: 5 }),
                    }),
                ]),
            ));
        it("excepts a queue that is an SNS subscription's DLQ", async () =>
            compliant(
                await runStack(sqsQueueDeadLetter, [
                    q("sub-dlq"),
                    {
                        type: "aws:sns/topicSubscription:TopicSubscription",
                        name: "s",
                        props: { protocol: "lambda", redrivePolicy: UNKNOWN },
                        deps: { redrivePolicy: ["sub-dlq"] },
                    },
                ]),
            ));
        it("fails a queue without a DLQ", async () =>
            violates(await runStack(sqsQueueDeadLetter, [q("orders")]), /orders has no dead-letter queue/));
        it("is not applicable without queues", async () => notApplicable(await runStack(sqsQueueDeadLetter, [])));
    });

    describe("required-tags (advisory)", () => {
        const defaults = {
            region: "eu-west-1",
            defaultTags: JSON.stringify({ tags: { environment: "dev", project: "retail", owner: "team", "cost-centre": "cc1" } }),
        };
        it("counts the provider's default tags as present", async () =>
            compliant(await runResource(requiredTags, { type: "aws:sqs/queue:Queue", props: {}, provider: defaults })));
        it("reports missing tags as advisory", async () => {
            const r = await runResource(requiredTags, { type: "aws:sqs/queue:Queue", props: { tags: { environment: "dev" } } });
            violates(r, /project, owner, cost-centre/);
            if (r.violations[0].enforcement !== "advisory") throw new Error("expected advisory");
        });
        it("is not applicable to untaggable types", async () =>
            notApplicable(await runResource(requiredTags, { type: "aws:s3/bucketPolicy:BucketPolicy", props: {} })));
    });
});
