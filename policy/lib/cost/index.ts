// The cost estimator, shared by the plan engine (engine/cost.ts) and the monthly-budget policy.
export * from "./catalogue";
export * from "./profile";
export * from "./estimate";
