// Builds components directly under the engine's mocks (engine/mocks.ts), outside any stack, and records what each
// resource was registered with — the component tests' view of "what this component declares". Other test files
// install their own mocks (the engine's evaluate does), so each component test installs fresh ones first.
import * as pulumi from "@pulumi/pulumi";
import { PlatformMocks } from "../../engine/mocks";

export interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

class RecordingMocks extends PlatformMocks {
    readonly registered: Registered[] = [];
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        this.registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return super.newResource(args);
    }
}

let mocks = new RecordingMocks("eu-west-1");

/** Fresh mocks (other test files install their own): call in `beforeEach`. */
export async function useComponentMocks(): Promise<void> {
    mocks = new RecordingMocks("eu-west-1");
    await pulumi.runtime.setMocks(mocks, "retail-platform", "test", false);
}

/**
 * Waits until every registration has reached the mocks. Mock registrations complete without I/O, in promise jobs and
 * timers of at most 0 ms; the count is taken again after a burst of macrotask turns until it no longer changes.
 */
export async function registered(): Promise<Registered[]> {
    let last = -1;
    while (last !== mocks.registered.length) {
        last = mocks.registered.length;
        for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    }
    return mocks.registered;
}

/** The one registered resource of `type` whose name ends with `suffix`. */
export async function one(type: string, suffix: string): Promise<Registered> {
    const found = (await registered()).filter((r) => r.type === type && r.name.endsWith(suffix));
    if (found.length !== 1)
        throw new Error(`expected one ${type} named *${suffix}, found ${found.map((r) => r.name).join(", ") || "none"}`);
    return found[0];
}

/** The message of the ResourceError `build` throws (fails when it throws nothing). */
export function argumentErrors(build: () => unknown): string {
    try {
        build();
    } catch (e) {
        if (!pulumi.ResourceError.isInstance(e)) throw e;
        return e.message;
    }
    throw new Error("expected a ResourceError");
}
