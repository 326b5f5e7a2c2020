// Public API of the offline engine driver. It plays the Pulumi engine's part where the CLI cannot be had:
// - ProviderHost (host.ts) starts @pulumi/pulumi's real dynamic-provider host as the CLI does and speaks its gRPC;
// - createWorkspace (workspace.ts) builds a user-like project dir (node_modules/pulumi-quickbi → this repo) to run it in;
// - runProgram (program.ts) runs a Pulumi program against a recording resource monitor;
// - Engine (engine.ts) does preview / up / refresh / destroy in the engine's order and concurrency, with a JSON state
//   file written as the file backend writes its checkpoints.
// It is NOT Pulumi: no plugins, no stack references, no import. See the README, "The offline engine driver".
export * from "./host";
export * from "./workspace";
export * from "./program";
export * from "./engine";
export * from "./report";
export * from "./state";
export * from "./secrets";
export { Checkpoint } from "./checkpoint";
export { DependencyGraph, scheduleDeletes } from "./dependencyGraph";
export { resolveParallel } from "./options";
