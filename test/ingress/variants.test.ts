import * as assert from "assert";
import { grantedKey, ofType, PlanJson, resolveRef } from "../support/plan";
import { doc, variantPlan } from "../support/ingress";

const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:retail-platform-staging/cart-db-AbCdEf";

describe("ingress and application config variants (staging)", function () {
    let plan: PlanJson;
    before(function () {
        this.timeout(60_000);
        plan = variantPlan("vpc-origin", "staging", (config) => {
            config["retail-platform:ingress"] = {
                ...config["retail-platform:ingress"],
                vpcOrigin: true,
                hostedZoneId: "Z0123456789ABCDEFGHIJ",
                parentZoneId: undefined,
                wafRateLimit: 500,
            };
            const cart = config["retail-platform:pbcs"].cart;
            cart.pathPatterns = ["/api/cart/*", "/api/basket/*", "/api/wishlist/*", "/api/saved/*"];
            cart.secrets = { DATABASE_URL: SECRET };
            cart.writablePaths = ["/var/cache/cart"];
            cart.user = "101:101";
            cart.permissions = [
                { actions: ["dynamodb:GetItem", "dynamodb:PutItem"], resources: ["arn:aws:dynamodb:eu-west-1:123456789012:table/carts"] },
            ];
        });
    });

    it("uses an existing zone instead of creating one", () => {
        assert.strictEqual(ofType(plan, "aws:route53/zone:Zone").length, 0);
        for (const r of ofType(plan, "aws:route53/record:Record")) assert.strictEqual(r.inputs.zoneId, "Z0123456789ABCDEFGHIJ");
    });

    it("reaches an internal ALB in the application subnets through a CloudFront VPC origin, with the header kept", () => {
        const lbs = ofType(plan, "aws:lb/loadBalancer:LoadBalancer");
        assert.strictEqual(lbs.length, 1, "no public ALB at all");
        assert.strictEqual(lbs[0].inputs.internal, true);
        for (const s of lbs[0].inputs.subnets) assert.strictEqual(resolveRef(plan, s).inputs.tags["retail:subnet-class"], "application");
        const [vpcOrigin] = ofType(plan, "aws:cloudfront/vpcOrigin:VpcOrigin");
        const c = vpcOrigin.inputs.vpcOriginEndpointConfig;
        assert.strictEqual(resolveRef(plan, c.arn).name, lbs[0].name);
        assert.deepStrictEqual([c.originProtocolPolicy, c.originSslProtocols], ["https-only", { items: ["TLSv1.2"], quantity: 1 }]);
        const [distribution] = ofType(plan, "aws:cloudfront/distribution:Distribution");
        const app = distribution.inputs.origins.find((o: any) => o.originId === "app");
        assert.strictEqual(app.customOriginConfig, undefined);
        assert.strictEqual(resolveRef(plan, app.vpcOriginConfig.vpcOriginId).name, vpcOrigin.name);
        assert.deepStrictEqual(app.customHeaders, [{ name: "X-Origin-Verify", value: "[secret]" }]);
        // The internal ALB admits HTTPS only from CloudFront's VPC-origin service group, looked up once the origin exists.
        const albGroup = ofType(plan, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "retail-platform-staging-alb")!;
        const albIngress = ofType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
            (r) => resolveRef(plan, r.inputs.securityGroupId).name === albGroup.name,
        );
        assert.strictEqual(albIngress.length, 1);
        assert.deepStrictEqual(
            [albIngress[0].inputs.fromPort, albIngress[0].inputs.toPort, albIngress[0].inputs.prefixListId],
            [443, 443, undefined],
        );
        assert.match(albIngress[0].inputs.referencedSecurityGroupId, /^sg-[0-9a-f]{17}$/);
    });

    it("takes the WAF rate limit from config", () => {
        const [acl] = ofType(plan, "aws:wafv2/webAcl:WebAcl");
        assert.strictEqual(acl.inputs.rules.find((r: any) => r.name === "RateLimitPerIp").statement.rateBasedStatement.limit, 500);
    });

    it("splits four patterns into two rules of at most three, each with the header", () => {
        const rules = ofType(plan, "aws:lb/listenerRule:ListenerRule").filter((r) => r.name.includes("-cart-rule-"));
        assert.deepStrictEqual(rules.map((r) => r.inputs.conditions[0].pathPattern.values.length).sort(), [1, 3]);
        assert.deepStrictEqual(rules.flatMap((r) => r.inputs.conditions[0].pathPattern.values).sort(), [
            "/api/basket/*",
            "/api/cart/*",
            "/api/saved/*",
            "/api/wishlist/*",
        ]);
        const all = ofType(plan, "aws:lb/listenerRule:ListenerRule").map((r) => r.inputs.priority);
        assert.strictEqual(new Set(all).size, all.length);
    });

    it("injects secrets through ECS, grants exactly those to the execution role and the declared permissions to the task role", () => {
        const service = ofType(plan, "aws:ecs/service:Service").find((s) => s.inputs.name === "cart")!;
        const td = resolveRef(plan, service.inputs.taskDefinition);
        const [c] = JSON.parse(td.inputs.containerDefinitions);
        // The declared secret, beside the runtime parameters the platform names (the cart declares identity).
        const isParameter = (x: any) => x.valueFrom.startsWith("arn:aws:ssm:");
        assert.deepStrictEqual(
            c.secrets.filter((x: any) => !isParameter(x)),
            [{ name: "DATABASE_URL", valueFrom: SECRET }],
        );
        const parameterArns = c.secrets.filter(isParameter).map((x: any) => x.valueFrom);
        assert.deepStrictEqual(
            c.secrets.filter(isParameter).map((x: any) => x.name),
            ["COGNITO_ISSUER_URL", "COGNITO_JWKS_URL", "COGNITO_MOBILE_CLIENT_ID", "COGNITO_STOREFRONT_CLIENT_ID", "COGNITO_USER_POOL_ID"],
        );
        assert.ok(!c.environment.some((e: any) => e.name === "DATABASE_URL"), "never in plain environment");
        assert.strictEqual(c.user, "101:101");
        assert.deepStrictEqual(td.inputs.volumes, [{ name: "tmp" }, { name: "writable-0" }]);
        assert.deepStrictEqual(
            c.mountPoints.map((m: any) => m.containerPath),
            ["/tmp", "/var/cache/cart"],
        );
        const exec = doc(
            ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "retail-platform-staging-cart-execution-policy")!.inputs
                .policy,
        );
        const read = exec.Statement.find((s) => s.Sid === "ReadDeclaredSecrets");
        assert.deepStrictEqual([read.Action, read.Resource], ["secretsmanager:GetSecretValue", [SECRET]]);
        const parameters = exec.Statement.find((s) => s.Sid === "ReadRuntimeParameters");
        assert.deepStrictEqual([parameters.Action, parameters.Resource], ["ssm:GetParameters", [...parameterArns].sort()]);
        const decrypt = exec.Statement.find((s) => s.Sid === "DecryptSecretsThroughSecretsManager");
        assert.strictEqual(decrypt.Action, "kms:Decrypt");
        assert.strictEqual(grantedKey(plan, decrypt).tier, "security", "the stack key, named by its alias");
        assert.deepStrictEqual(decrypt.Condition.StringEquals, { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com"] });
        const task = doc(
            ofType(plan, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "retail-platform-staging-cart-task-policy")!.inputs.policy,
        );
        assert.deepStrictEqual(task.Statement[0], {
            Sid: "Declared0",
            Effect: "Allow",
            Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
            Resource: ["arn:aws:dynamodb:eu-west-1:123456789012:table/carts"],
        });
        // The rest is the cart's declared data access (its cart and flags tables, and the key through DynamoDB).
        assert.deepStrictEqual(
            task.Statement.slice(1).map((s) => s.Sid ?? s.Condition.StringEquals["kms:ViaService"][0]),
            ["Tablecart", "TablefeatureFlags", "dynamodb.eu-west-1.amazonaws.com"],
        );
    });
});
