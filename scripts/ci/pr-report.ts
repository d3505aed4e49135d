// Joins the per-stack plan diffs (Markdown from `npm run plan -- --base … --diff-markdown`) into one pull-request
// comment under GitHub's 65,536-character limit: a marker for the sticky comment, each stack's summary first.
//   node -r ./engine/register.js scripts/ci/pr-report.ts --out report.md --run-url <url> out/diff-staging.md out/diff-production.md
import * as fs from "fs";
import { GITHUB_COMMENT_LIMIT, truncate } from "../../engine/diff";

export const MARKER = "<!-- retail-platform-plan-report -->";

export function prReport(sections: string[], runUrl?: string, limit = GITHUB_COMMENT_LIMIT): string {
    const head = [MARKER, "## Offline plan", ""];
    if (runUrl) head.push(`Architecture pictures, plan JSON and full diffs: [workflow run artifacts](${runUrl}).`, "");
    const header = head.join("\n") + "\n";
    // Each stack gets an equal share, so a huge staging diff cannot push production's summary out.
    const share = Math.floor((limit - header.length) / Math.max(1, sections.length));
    const parts = sections.map((s) => {
        const lines = s.split("\n");
        return s.length <= share ? s : truncate("", lines, share);
    });
    return header + parts.join("\n");
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    const take = (flag: string) => {
        const i = argv.indexOf(flag);
        if (i < 0) return undefined;
        const [v] = argv.splice(i, 2).slice(1);
        return v;
    };
    const out = take("--out");
    const runUrl = take("--run-url");
    const sections = argv.filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, "utf8"));
    const text = prReport(sections.length ? sections : ["No plan was produced; see the workflow logs."], runUrl);
    if (out) fs.writeFileSync(out, text);
    else process.stdout.write(text);
}
