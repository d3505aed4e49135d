// Regenerates test/day2/stateful-urns.json from the plans of both stacks:
//   node -r ./engine/register.js scripts/stateful-urns.ts
// Run it only after deciding that every URN change it shows is intended and carries `aliases` (see the test).
import * as fs from "fs";
import * as path from "path";
import { statefulUrns } from "../test/support/day2";
import { planOf, REPO_ROOT } from "../test/support/plan";

const snapshot = Object.fromEntries(["staging", "production"].map((stack) => [stack, statefulUrns(planOf(stack))]));
const file = path.join(REPO_ROOT, "test", "day2", "stateful-urns.json");
fs.writeFileSync(file, JSON.stringify(snapshot, null, 4) + "\n");
console.log(
    `wrote ${path.relative(process.cwd(), file)}: ${Object.entries(snapshot)
        .map(([s, u]) => `${s} ${u.length}`)
        .join(", ")}`,
);
