// Bundles the Lambda handlers (components/handlerBundle.ts) from the command line:
//   node -r ./engine/register.js scripts/bundle-handlers.ts                    bundle every handler
//   node -r ./engine/register.js scripts/bundle-handlers.ts inventory          bundle one
//   node -r ./engine/register.js scripts/bundle-handlers.ts migration-runner   the migration runner's container entry
import { bundleAll, bundleHandler, bundleMigrationRunner } from "../components/handlerBundle";

if (require.main === module) {
    const requested = process.argv.slice(2);
    if (requested.includes("migration-runner")) {
        bundleMigrationRunner().then(
            (r) => process.stdout.write(`migration-runner ${(r.bytes / 1024).toFixed(1).padStart(7)} KiB  ${r.outfile}\n`),
            (error: unknown) => {
                process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
                process.exit(1);
            },
        );
    } else {
        (requested.length ? Promise.all(requested.map((name) => bundleHandler(name))) : bundleAll()).then(
            (results) => {
                for (const result of results)
                    process.stdout.write(
                        `${result.name.padEnd(16)} ${(result.bytes / 1024).toFixed(1).padStart(7)} KiB  ${result.outfile}\n`,
                    );
            },
            (error: unknown) => {
                process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
                process.exit(1);
            },
        );
    }
}
