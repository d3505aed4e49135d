import * as assert from "assert";
import { secretResourceArn, VOLUME_INIT_CONTAINER } from "../../components/pbcService";
import { ofType, planOf, PlanJson } from "../support/plan";

describe("PBC task volumes and secret grants", function () {
    let plan: PlanJson;
    before(function () {
        this.timeout(60_000);
        plan = planOf("staging");
    });

    it("opens every bind mount to the non-root application before it starts", () => {
        const tasks = ofType(plan, "aws:ecs/taskDefinition:TaskDefinition").filter((t) => !t.name.endsWith("-migrations-task"));
        assert.ok(tasks.length >= 8);
        for (const task of tasks) {
            const [app, init] = JSON.parse(task.inputs.containerDefinitions);
            assert.deepStrictEqual(app.dependsOn, [{ containerName: VOLUME_INIT_CONTAINER, condition: "SUCCESS" }], task.name);
            assert.strictEqual(init.name, VOLUME_INIT_CONTAINER);
            assert.strictEqual(init.essential, false);
            assert.strictEqual(init.readonlyRootFilesystem, true);
            assert.deepStrictEqual(init.linuxParameters.capabilities.drop, ["ALL"]);
            assert.deepStrictEqual(init.command, ["chmod", "1777", ...app.mountPoints.map((m: any) => m.containerPath)]);
            assert.deepStrictEqual(init.mountPoints, app.mountPoints);
            assert.notStrictEqual(app.user.split(":")[0], "0", "the application itself never runs as root");
        }
    });

    it("grants secrets by the secret's own ARN, whatever valueFrom adds", () => {
        const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-AbCdEf";
        assert.strictEqual(secretResourceArn(arn), arn);
        assert.strictEqual(secretResourceArn(`${arn}:password::`), arn);
        assert.strictEqual(
            secretResourceArn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db"),
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-??????",
        );
    });
});
