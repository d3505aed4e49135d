// data: Aurora Serverless v2, the cache, the compliance archive, replication and backups.
import { z } from "zod";
import { awsRegion, int, obj, oneOf, stepped, str } from "./validators";

/** Aurora PostgreSQL minor versions from which Serverless v2 can pause at 0 ACU, per major version. */
export const AUTO_PAUSE_MIN_VERSION: Record<number, number> = { 13: 15, 14: 12, 15: 7, 16: 3, 17: 4 };

export function supportsAutoPause(engineVersion: string): boolean {
    const [major, minor] = engineVersion.split(".").map(Number);
    const from = AUTO_PAUSE_MIN_VERSION[major];
    return from !== undefined && minor >= from;
}

const aurora = obj({
    engineVersion: str('an Aurora PostgreSQL version like "16.6"', (s) => /^1[3-7]\.\d{1,2}$/.test(s)).default("16.6"),
    minCapacity: stepped(0, 256, 0.5),
    maxCapacity: stepped(1, 256, 0.5),
    readers: int(0, 15),
    backupRetentionDays: int(1, 35),
}).superRefine((a, ctx) => {
    if (a.minCapacity > a.maxCapacity)
        ctx.addIssue({
            code: "custom",
            path: ["minCapacity"],
            message: `must be at most maxCapacity (${a.maxCapacity}), got ${a.minCapacity}`,
        });
    if (a.minCapacity === 0 && !supportsAutoPause(a.engineVersion)) {
        ctx.addIssue({
            code: "custom",
            path: ["minCapacity"],
            message: `0 (auto-pause) needs Aurora PostgreSQL 13.15, 14.12, 15.7, 16.3, 17.4 or later in its major line, got engineVersion ${a.engineVersion}`,
        });
    }
});

const cache = obj({
    // Valkey serverless bills from 100 MB (about $6/month idle); Redis OSS serverless from 1 GB (about $91).
    engine: oneOf(["valkey", "redis"] as const).default("valkey"),
    snapshotRetentionDays: int(0, 35).default(1),
    maxDataStorageGb: int(1, 5000).default(10),
    maxEcpuPerSecond: int(1000, 15000000).default(10000),
});

const archive = obj({
    mode: oneOf(["GOVERNANCE", "COMPLIANCE"] as const),
    retentionDays: int(1, 36500),
});

const backup = obj({
    retentionDays: int(1, 36500),
});

export const dataSchema = obj({
    aurora,
    cache: cache.default({ engine: "valkey", snapshotRetentionDays: 1, maxDataStorageGb: 10, maxEcpuPerSecond: 10000 }),
    archive,
    backup,
    replicaRegion: awsRegion().optional(),
    // Tag of the migration runner image in its ECR repository (immutable tags; CI pushes it before `pulumi up`).
    migrationRunnerImageTag: str("an image tag", (s) => /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(s)).default("v1"),
});

export type DataConfig = z.output<typeof dataSchema>;

/** Rules that depend on the environment or the home region; path is relative to `data`. */
export function dataProblems(data: DataConfig, environment: string, region: string): { path: (string | number)[]; message: string }[] {
    const problems: { path: (string | number)[]; message: string }[] = [];
    if (environment === "production") {
        if (data.aurora.minCapacity < 0.5)
            problems.push({
                path: ["aurora", "minCapacity"],
                message: `must be at least 0.5 in production (no auto-pause), got ${data.aurora.minCapacity}`,
            });
        if (data.aurora.readers < 1)
            problems.push({ path: ["aurora", "readers"], message: `must be at least 1 in production, got ${data.aurora.readers}` });
        if (data.archive.mode !== "COMPLIANCE")
            problems.push({
                path: ["archive", "mode"],
                message: `must be "COMPLIANCE" in production (GOVERNANCE can be bypassed), got "${data.archive.mode}"`,
            });
    }
    if (data.replicaRegion && data.replicaRegion === region) {
        problems.push({ path: ["replicaRegion"], message: `must differ from the home region (${region}), got "${data.replicaRegion}"` });
    }
    return problems;
}
