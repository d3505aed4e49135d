import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { planSubnets } from "../../config/cidr";
import { ConfigValidationError, validateStackConfig } from "../../config/load";
import { readProgram } from "../../engine/evaluate";
import { REPO_ROOT, runPlan } from "../support/plan";

const PROJECT = "retail-platform";

/** The staging stack's real config, as the engine reads it. */
function stagingConfig(): Record<string, string> {
    return { ...readProgram(REPO_ROOT, "staging").config };
}

function withValue(base: Record<string, string>, key: string, mutate: (value: any) => any): Record<string, string> {
    const current =
        base[key] === undefined
            ? undefined
            : (() => {
                  try {
                      return JSON.parse(base[key]);
                  } catch {
                      return base[key];
                  }
              })();
    const next = mutate(current);
    const copy = { ...base };
    if (next === undefined) delete copy[key];
    else copy[key] = typeof next === "string" ? next : JSON.stringify(next);
    return copy;
}

function problemsOf(raw: Record<string, string>, stack = "staging"): string[] {
    try {
        validateStackConfig(raw, PROJECT, stack);
    } catch (err) {
        assert.ok(err instanceof ConfigValidationError, `expected a ConfigValidationError, got ${err}`);
        return err.problems;
    }
    return [];
}

const NET = `${PROJECT}:network`;
const PBCS = `${PROJECT}:pbcs`;

describe("stack config validation", () => {
    it("requires in production someone to hear the alarms, a delivery path for notifications and the OMS's own principal", () => {
        const production = readProgram(REPO_ROOT, "production").config;
        const stripped = withValue(
            withValue(production, `${PROJECT}:operations`, () => undefined),
            `${PROJECT}:events`,
            () => ({}),
        );
        assert.deepStrictEqual(
            problemsOf(stripped, "production")
                .map((p) => p.split(":")[0])
                .sort(),
            ["events.notificationSubscriptions", "events.omsConsumerPrincipal", "operations.subscriptions"],
        );
        assert.match(
            problemsOf(stripped, "production").join("\n"),
            /operations\.subscriptions: must list at least one subscription in production \(e-mail, https chat\/pager webhook or sms\)/,
        );
        // Staging may leave all three out.
        const staging = withValue(
            withValue(stagingConfig(), `${PROJECT}:operations`, () => undefined),
            `${PROJECT}:events`,
            () => undefined,
        );
        assert.deepStrictEqual(problemsOf(staging), []);
        // An account root with an external id is accepted.
        assert.deepStrictEqual(
            problemsOf(
                withValue(production, `${PROJECT}:events`, (e) => ({
                    ...e,
                    omsConsumerPrincipal: "arn:aws:iam::210987654321:root",
                    omsConsumerExternalId: "retail-oms-7f3a",
                })),
                "production",
            ),
            [],
        );
    });

    it("accepts a PBC without path patterns only when it is internal (Cloud Map) or payment-isolated", () => {
        const internal = withValue(stagingConfig(), PBCS, (p) => ({
            ...p,
            search: { ...p.search, pathPatterns: undefined, internal: true },
        }));
        assert.deepStrictEqual(problemsOf(internal), []);
        assert.strictEqual(validateStackConfig(internal, PROJECT, "staging").pbcs.search.internal, true);
        assert.strictEqual(validateStackConfig(stagingConfig(), PROJECT, "staging").pbcs.payment.pathPatterns.length, 0);
    });

    it("accepts both committed stacks", () => {
        for (const stack of ["staging", "production"]) {
            const cfg = validateStackConfig(readProgram(REPO_ROOT, stack).config, PROJECT, stack);
            assert.strictEqual(cfg.environment, stack);
            assert.strictEqual(cfg.network.azCount, 3);
            assert.strictEqual(cfg.network.natGateways, stack === "production" ? "per-az" : "single");
            for (const pbc of ["catalogue", "search", "cart", "checkout", "order", "payment", "inventory", "customer"])
                assert.ok(pbc in cfg.pbcs, `PBC ${pbc}`);
        }
    });

    const cases: [string, (c: Record<string, string>) => Record<string, string>, RegExp][] = [
        [
            "azCount above 6",
            (c) => withValue(c, NET, (n) => ({ ...n, azCount: 7 })),
            /^network\.azCount: must be an integer from 2 to 6, got 7$/,
        ],
        [
            "azCount not an integer",
            (c) => withValue(c, NET, (n) => ({ ...n, azCount: 2.5 })),
            /^network\.azCount: must be an integer from 2 to 6, got 2\.5$/,
        ],
        [
            "CIDR with host bits",
            (c) => withValue(c, NET, (n) => ({ ...n, cidr: "10.0.0.1/16" })),
            /^network\.cidr: must be an IPv4 network in CIDR form from \/16 to \/22/,
        ],
        [
            "CIDR too small a block",
            (c) => withValue(c, NET, (n) => ({ ...n, cidr: "10.0.0.0/24" })),
            /^network\.cidr: must be an IPv4 network .* got "10\.0\.0\.0\/24"$/,
        ],
        [
            "CIDR that cannot hold the plan",
            (c) => withValue(c, NET, (n) => ({ ...n, cidr: "10.0.0.0/22", subnetPrefixLengths: undefined })),
            /^network\.cidr: 10\.0\.0\.0\/22 cannot hold 3 AZs x \(public \/27, application \/24, data \/27, payment \/27\) in the stable layout \(it holds at most 2\)/,
        ],
        [
            "NAT mode misspelt",
            (c) => withValue(c, NET, (n) => ({ ...n, natGateways: "per_az" })),
            /^network\.natGateways: must be one of "single", "per-az", got "per_az"$/,
        ],
        [
            "unknown interface endpoint",
            (c) => withValue(c, NET, (n) => ({ ...n, interfaceEndpoints: ["ecr.api", "s3-express"] })),
            /^network\.interfaceEndpoints\.1: must be one of .* got "s3-express"$/,
        ],
        [
            "application subnet smaller than /24",
            (c) => withValue(c, NET, (n) => ({ ...n, subnetPrefixLengths: { ...n.subnetPrefixLengths, application: 25 } })),
            /^network\.subnetPrefixLengths\.application: must be an integer from 16 to 24, got 25$/,
        ],
        [
            "typo in a network key",
            (c) => withValue(c, NET, (n) => ({ ...n, natGateway: "single" })),
            /^network: unknown key\(s\) "natGateway"$/,
        ],
        [
            "unknown environment",
            (c) => withValue(c, `${PROJECT}:environment`, () => "prod"),
            /^environment: must be one of "staging", "production", got "prod"$/,
        ],
        [
            "missing environment",
            (c) => withValue(c, `${PROJECT}:environment`, () => undefined),
            /^environment: must be one of "staging", "production", got nothing$/,
        ],
        [
            "log retention CloudWatch does not offer",
            (c) => withValue(c, `${PROJECT}:logRetentionDays`, () => 45),
            /^logRetentionDays: must be one of 1, 3, .* got 45$/,
        ],
        ["unknown top-level key", (c) => ({ ...c, [`${PROJECT}:netwrok`]: "{}" }), /^retail-platform: unknown key\(s\) "netwrok"$/],
        [
            "region that is not a region",
            (c) => withValue(c, "aws:region", () => "europe"),
            /^aws:region: must be an AWS region name like "eu-west-1", got "europe"$/,
        ],
        [
            "missing cost-centre tag",
            (c) => withValue(c, "aws:defaultTags", (t) => ({ tags: { ...t.tags, "cost-centre": undefined } })),
            /^aws:defaultTags\.tags\.cost-centre: is required on every resource/,
        ],
        [
            "environment tag disagrees",
            (c) => withValue(c, "aws:defaultTags", (t) => ({ tags: { ...t.tags, environment: "production" } })),
            /^aws:defaultTags\.tags\.environment: must equal environment \("staging"\), got "production"$/,
        ],
        [
            "Fargate CPU/memory pair that does not exist",
            (c) => withValue(c, PBCS, (p) => ({ ...p, cart: { ...p.cart, cpu: 256, memory: 4096 } })),
            /^pbcs\.cart\.memory: must be one of Fargate's sizes for cpu 256 \(512, 1024, 2048 MiB\), got 4096$/,
        ],
        [
            "min above desired",
            (c) => withValue(c, PBCS, (p) => ({ ...p, cart: { ...p.cart, minCount: 3 } })),
            /^pbcs\.cart\.minCount: must be at most desiredCount \(1\), got 3$/,
        ],
        [
            "max above 20",
            (c) => withValue(c, PBCS, (p) => ({ ...p, cart: { ...p.cart, maxCount: 21 } })),
            /^pbcs\.cart\.maxCount: must be an integer from 1 to 20, got 21$/,
        ],
        [
            "path pattern without a leading slash",
            (c) => withValue(c, PBCS, (p) => ({ ...p, cart: { ...p.cart, pathPatterns: ["api/cart/*"] } })),
            /^pbcs\.cart\.pathPatterns\.0: must be an ALB path pattern starting with "\/", got "api\/cart\/\*"$/,
        ],
        [
            "two PBCs sharing a path pattern",
            (c) => withValue(c, PBCS, (p) => ({ ...p, search: { ...p.search, pathPatterns: ["/api/cart/*"] } })),
            /^pbcs\.(cart|search)\.pathPatterns\.0: "\/api\/cart\/\*" is already routed to PBC "(cart|search)"$/,
        ],
        [
            "image reference without a tag",
            (c) => withValue(c, PBCS, (p) => ({ ...p, cart: { ...p.cart, image: "Not An Image" } })),
            /^pbcs\.cart\.image: must be a container image reference with a tag or digest/,
        ],
        [
            "payment PBC routed by the public ALB",
            (c) => withValue(c, PBCS, (p) => ({ ...p, payment: { ...p.payment, pathPatterns: ["/api/pay/*"] } })),
            /^pbcs\.payment\.pathPatterns: must be empty for a payment-isolated PBC/,
        ],
        [
            "application PBC without path patterns (it would get no route)",
            (c) => withValue(c, PBCS, (p) => ({ ...p, search: { ...p.search, pathPatterns: undefined } })),
            /^pbcs\.search\.pathPatterns: must list at least one ALB path pattern .* only a PBC with network: payment or internal: true \(reached through Cloud Map only\) has no route$/,
        ],
        [
            "internal PBC with path patterns",
            (c) => withValue(c, PBCS, (p) => ({ ...p, search: { ...p.search, internal: true } })),
            /^pbcs\.search\.pathPatterns: must be empty for an internal PBC/,
        ],
        [
            "e-mail subscription to something that is not an address",
            (c) => withValue(c, `${PROJECT}:operations`, () => ({ subscriptions: [{ protocol: "email", endpoint: "on-call" }] })),
            /^operations\.subscriptions\.0\.endpoint: must be an e-mail address for protocol email, got "on-call"$/,
        ],
        [
            "https subscription to an http URL",
            (c) =>
                withValue(c, `${PROJECT}:operations`, () => ({
                    subscriptions: [{ protocol: "https", endpoint: "http://pager.acme.eu/hook" }],
                })),
            /^operations\.subscriptions\.0\.endpoint: must be an https:\/\/ URL for protocol https/,
        ],
        [
            "account-root OMS principal without an external id",
            (c) => withValue(c, `${PROJECT}:events`, (e) => ({ ...e, omsConsumerPrincipal: "arn:aws:iam::210987654321:root" })),
            /^events\.omsConsumerExternalId: is required when omsConsumerPrincipal is an account root/,
        ],
        [
            "placeholder image announced on a port it does not listen on",
            (c) => withValue(c, PBCS, (p) => ({ ...p, payment: { ...p.payment, containerPort: 8443 } })),
            /^pbcs\.payment\.containerPort: must be 8080 while the image is the placeholder public\.ecr\.aws\/nginx\/nginx-unprivileged \(it listens only there\), got 8443$/,
        ],
        [
            "secret that is not a Secrets Manager ARN",
            (c) => withValue(c, PBCS, (p) => ({ ...p, cart: { ...p.cart, secrets: { DB_URL: "postgres://user:pw@host/db" } } })),
            /^pbcs\.cart\.secrets\.DB_URL: must be a Secrets Manager secret ARN, got "postgres/,
        ],
    ];
    for (const [what, mutate, expected] of cases) {
        it(`rejects ${what}, naming the key`, () => {
            const problems = problemsOf(mutate(stagingConfig()));
            assert.ok(
                problems.some((p) => expected.test(p)),
                `expected a problem matching ${expected}, got:\n${problems.join("\n")}`,
            );
        });
    }

    const DATA = `${PROJECT}:data`;
    const productionConfig = () => ({ ...readProgram(REPO_ROOT, "production").config });
    const dataCases: [string, string, (c: Record<string, string>) => Record<string, string>, RegExp][] = [
        [
            "Aurora minimum above maximum",
            "staging",
            (c) => withValue(c, DATA, (d) => ({ ...d, aurora: { ...d.aurora, minCapacity: 8, maxCapacity: 4 } })),
            /^data\.aurora\.minCapacity: must be at most maxCapacity \(4\), got 8$/,
        ],
        [
            "Aurora capacity off the 0.5 grid",
            "staging",
            (c) => withValue(c, DATA, (d) => ({ ...d, aurora: { ...d.aurora, maxCapacity: 4.2 } })),
            /^data\.aurora\.maxCapacity: must be a number from 1 to 256 in steps of 0\.5, got 4\.2$/,
        ],
        [
            "auto-pause on an engine that cannot pause",
            "staging",
            (c) => withValue(c, DATA, (d) => ({ ...d, aurora: { ...d.aurora, engineVersion: "16.2" } })),
            /^data\.aurora\.minCapacity: 0 \(auto-pause\) needs Aurora PostgreSQL .* got engineVersion 16\.2$/,
        ],
        [
            "auto-pause in production",
            "production",
            (c) => withValue(c, DATA, (d) => ({ ...d, aurora: { ...d.aurora, minCapacity: 0 } })),
            /^data\.aurora\.minCapacity: must be at least 0\.5 in production/,
        ],
        [
            "production without a reader",
            "production",
            (c) => withValue(c, DATA, (d) => ({ ...d, aurora: { ...d.aurora, readers: 0 } })),
            /^data\.aurora\.readers: must be at least 1 in production, got 0$/,
        ],
        [
            "GOVERNANCE archive in production",
            "production",
            (c) => withValue(c, DATA, (d) => ({ ...d, archive: { ...d.archive, mode: "GOVERNANCE" } })),
            /^data\.archive\.mode: must be "COMPLIANCE" in production/,
        ],
        [
            "replica in the home region",
            "production",
            (c) => withValue(c, DATA, (d) => ({ ...d, replicaRegion: "eu-west-1" })),
            /^data\.replicaRegion: must differ from the home region \(eu-west-1\), got "eu-west-1"$/,
        ],
        [
            "Redis engine misspelt",
            "staging",
            (c) => withValue(c, DATA, (d) => ({ ...d, cache: { ...d.cache, engine: "memcached" } })),
            /^data\.cache\.engine: must be one of "valkey", "redis", got "memcached"$/,
        ],
        [
            "backup retention of 0 days",
            "staging",
            (c) => withValue(c, DATA, (d) => ({ ...d, backup: { retentionDays: 0 } })),
            /^data\.backup\.retentionDays: must be an integer from 1 to 36500, got 0$/,
        ],
    ];
    for (const [what, stack, mutate, expected] of dataCases) {
        it(`rejects ${what} (${stack}), naming the key`, () => {
            const problems = problemsOf(mutate(stack === "production" ? productionConfig() : stagingConfig()), stack);
            assert.ok(
                problems.some((p) => expected.test(p)),
                `expected a problem matching ${expected}, got:\n${problems.join("\n")}`,
            );
        });
    }

    it("reports every problem at once", () => {
        let raw = stagingConfig();
        raw = withValue(raw, NET, (n) => ({ ...n, azCount: 9, natGateways: "many" }));
        raw = withValue(raw, "aws:region", () => "nowhere");
        raw = withValue(raw, PBCS, (p) => ({ ...p, cart: { ...p.cart, containerPort: 22 } }));
        const problems = problemsOf(raw);
        assert.deepStrictEqual(
            problems
                .map((p) =>
                    p
                        .split(":")
                        .slice(0, p.startsWith("aws:") ? 2 : 1)
                        .join(":"),
                )
                .sort(),
            ["aws:region", "network.azCount", "network.natGateways", "pbcs.cart.containerPort"],
        );
    });

    it("plans subnets in stable per-class regions, aligned, and refuses what does not fit", () => {
        const plan = planSubnets("10.0.0.0/22", 2, { application: 24, public: 27, data: 27, payment: 27 })!;
        // A /22 reserves 2 AZs per class: public 10.0.0.0-63, application aligned at 10.0.1.0, then data and payment.
        assert.deepStrictEqual(
            plan.slice(0, 4).map((p) => `${p.subnetClass}${p.azIndex} ${p.cidr}`),
            ["public0 10.0.0.0/27", "public1 10.0.0.32/27", "application0 10.0.1.0/24", "application1 10.0.2.0/24"],
        );
        assert.strictEqual(plan.length, 8);
        assert.strictEqual(planSubnets("10.0.0.0/22", 3, { application: 24, public: 27, data: 27, payment: 27 }), undefined);
    });
});

describe("plan with an invalid stack config", () => {
    /** A program directory that runs this repo's program with `stackDoc` as the stack "broken". */
    function brokenProgram(stackFile: string): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-stack-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify({ name: PROJECT, runtime: "nodejs", main: REPO_ROOT }));
        fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), stackFile);
        return dir;
    }

    function invalidConfig(): string {
        const stackDoc = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), "utf8"));
        stackDoc.config[NET].azCount = 7;
        stackDoc.config["aws:region"] = "mars-1";
        return YAML.stringify(stackDoc);
    }

    // With the pack the analyzer is still being stopped when the failed program's leftover rejections surface;
    // they must not turn the clean exit 2 into a Node crash trace with exit 1.
    for (const mode of [["--no-policy"], []]) {
        const label = mode.length ? "without the policy pack" : "with the policy pack";

        it(`exits 2 ${label}, names the keys on stderr without a stack trace and writes no JSON`, function () {
            this.timeout(60_000);
            const run = runPlan(["--program", brokenProgram(invalidConfig()), "--stack", "broken", ...mode]);
            assert.strictEqual(run.status, 2, run.stderr);
            assert.match(run.stderr, /network\.azCount: must be an integer from 2 to 6, got 7/);
            assert.match(run.stderr, /aws:region: must be an AWS region name/);
            assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
            assert.doesNotMatch(run.stderr, /Node\.js v\d/, "no crash report");
            assert.strictEqual(run.json, undefined, "no JSON on config errors");
            assert.strictEqual(run.stdout, "");
        });

        it(`exits 2 ${label} on a YAML syntax error in the stack file, naming file and line, without a trace`, function () {
            this.timeout(60_000);
            const broken = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), "utf8").replace("azCount: 3", "azCount: [3");
            const run = runPlan(["--program", brokenProgram(broken), "--stack", "broken", ...mode]);
            assert.strictEqual(run.status, 2, run.stderr);
            assert.match(run.stderr, /Pulumi\.broken\.yaml: invalid YAML: .* at line \d+, column \d+/);
            assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
            assert.strictEqual(run.json, undefined);
            assert.strictEqual(run.stdout, "");
        });
    }
});
