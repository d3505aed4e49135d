import * as assert from "assert";
import type { Result } from "./harness";

export function compliant(r: Result): void {
    assert.deepStrictEqual(
        r.violations.map((v) => v.message),
        [],
        "expected no violations",
    );
    assert.strictEqual(r.deferred, false, "expected a decision at preview");
}

export function violates(r: Result, ...patterns: RegExp[]): void {
    assert.ok(r.violations.length > 0, "expected a violation");
    for (const p of patterns) {
        assert.ok(
            r.violations.some((v) => p.test(v.message)),
            `expected a violation matching ${p}; got:\n${r.violations.map((v) => v.message).join("\n")}`,
        );
    }
}

export function notApplicable(r: Result): void {
    assert.deepStrictEqual(
        r.violations.map((v) => v.message),
        [],
        "expected no violations",
    );
    assert.ok(r.notApplicable.length > 0, "expected a not-applicable result");
}

export function deferred(r: Result): void {
    assert.deepStrictEqual(
        r.violations.map((v) => v.message),
        [],
        "expected no violations",
    );
    assert.strictEqual(r.deferred, true, "expected the check to be deferred to the update");
}
