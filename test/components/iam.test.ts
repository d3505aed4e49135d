// ARNs built from names (known on a stack's first preview) must be the ARNs the resources get: checked against the
// engine's mocks, which compute each type's ARN the way AWS formats it.
import { useComponentMocks } from "../support/components";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../../components/aws";
import { keyStatement, knownArn, NamedResource } from "../../components/iam";

const ACCOUNT = "123456789012";
const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("ARNs known before the resource exists", () => {
    beforeEach(useComponentMocks);

    const cases: [string, () => NamedResource][] = [
        [
            "table",
            () =>
                new aws.dynamodb.Table("t", {
                    name: "orders",
                    hashKey: "pk",
                    attributes: [{ name: "pk", type: "S" }],
                    billingMode: "PAY_PER_REQUEST",
                }),
        ],
        [
            "autonamed table",
            () => new aws.dynamodb.Table("t", { hashKey: "pk", attributes: [{ name: "pk", type: "S" }], billingMode: "PAY_PER_REQUEST" }),
        ],
        ["queue", () => new aws.sqs.Queue("q", { name: "orders" })],
        ["FIFO queue", () => new aws.sqs.Queue("q", { name: "orders.fifo", fifoQueue: true })],
        ["autonamed queue", () => new aws.sqs.Queue("q", {})],
        ["stream", () => new aws.kinesis.Stream("s", { name: "clicks", shardCount: 1 })],
        ["event bus", () => new aws.cloudwatch.EventBus("b", { name: "RetailEventBus-test" })],
        ["topic", () => new aws.sns.Topic("n", { name: "alerts" })],
        ["autonamed topic", () => new aws.sns.Topic("n", {})],
        ["log group", () => new aws.cloudwatch.LogGroup("l", { name: "/aws/lambda/f" })],
        ["bucket", () => new aws.s3.Bucket("b", { bucket: "retail-assets-123456789012" })],
    ];
    for (const [what, make] of cases) {
        it(`gives a ${what} the ARN the provider reports`, async () => {
            const resource = make();
            assert.strictEqual(await value(knownArn(resource, "eu-west-1", ACCOUNT)), await value(resource.arn));
        });
    }

    it("names a key by alias, over the region's keys, with kms:ViaService when asked", async () => {
        const statement = await value(
            keyStatement(
                { alias: "alias/stack", region: "eu-central-1", accountId: ACCOUNT },
                {
                    sid: "Use",
                    actions: ["kms:Decrypt"],
                    viaServices: ["s3"],
                    condition: { StringLike: { "kms:EncryptionContext:aws:s3:arn": "x" } },
                },
            ),
        );
        assert.deepStrictEqual(statement, {
            Sid: "Use",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: `arn:aws:kms:eu-central-1:${ACCOUNT}:key/*`,
            Condition: {
                StringLike: { "kms:EncryptionContext:aws:s3:arn": "x" },
                "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/stack" },
                StringEquals: { "kms:ViaService": ["s3.eu-central-1.amazonaws.com"] },
            },
        });
        const plain = await value(
            keyStatement({ alias: "alias/stack", region: "eu-west-1", accountId: ACCOUNT }, { actions: "kms:Encrypt" }),
        );
        assert.deepStrictEqual(plain.Condition, { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/stack" } });
        assert.strictEqual(plain.Sid, undefined);
    });
});
