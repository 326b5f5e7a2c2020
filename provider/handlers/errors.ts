/**
 * Errors the handlers raise. Only `PartialApplyError` carries `id`: the dynamic-provider host turns an error with an
 * `id` into a partially created/updated resource (ErrorResourceInitFailed) and records `properties` as its outputs,
 * so the next `up` finishes the rest. Every other error must NOT have an `id`, or a failed create would leave a
 * phantom resource in state.
 */
import type { MemberFailure } from "../service/outcome";

/** One line per failed user, with the Quick BI code, the action and the RequestId to quote to support. */
export function describeFailures(failures: readonly MemberFailure[]): string {
  return failures
    .map((f) => {
      const where = [f.action, f.requestId ? `RequestId ${f.requestId}` : undefined].filter(Boolean).join(", ");
      return `  - ${f.userId}: ${f.code}: ${f.message}${where ? ` (${where})` : ""}`;
    })
    .join("\n");
}

/** The object exists in Quick BI already and the resource was not told to take it over. */
export class AdoptRequiredError extends Error {
  constructor(
    readonly resource: string,
    /** What exists, in words (e.g. `user b5d8… (nickName "Ana")`). */
    readonly existing: readonly string[],
    cause?: string,
  ) {
    super(
      `${resource}: already exists in Quick BI: ${existing.join("; ")}. ` +
        `To manage it with this resource, set \`adopt: true\` (it is then taken over and converged to the program); ` +
        `otherwise remove it in Quick BI or from the program.` +
        (cause ? ` (${cause})` : ""),
    );
    this.name = "AdoptRequiredError";
  }
}

/** Every user of a membership write failed; nothing was applied, so there is nothing to record. */
export class MembershipWriteError extends Error {
  constructor(
    readonly resource: string,
    readonly verb: string,
    readonly failures: readonly MemberFailure[],
  ) {
    super(`${resource}: could not ${verb} ${failures.length === 1 ? "1 user" : `${failures.length} users`}:\n${describeFailures(failures)}`);
    this.name = "MembershipWriteError";
  }
  /** The first Quick BI code, for callers that branch on one. */
  get code(): string {
    return this.failures[0]?.code ?? "";
  }
}

/**
 * Part of a batch was applied. `properties` are the outputs describing what WAS applied; `reasons` list each failure.
 * The next `up` sees the difference between these outputs and the program and updates the rest.
 */
export class PartialApplyError extends Error {
  readonly reasons: string[];
  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly failures: readonly MemberFailure[],
    summary: string,
  ) {
    super(
      `${summary}:\n${describeFailures(failures)}\n` +
        `The rest was applied and is recorded; fix the cause and run \`pulumi up\` again to finish.`,
    );
    this.name = "PartialApplyError";
    this.reasons = failures.map(
      (f) => `${f.userId}: ${f.code}: ${f.message}${f.requestId ? ` (RequestId ${f.requestId})` : ""}`,
    );
  }
}

/** Inputs that reached create/update without passing check (a bug or a hand-edited state), or unreadable state. */
export class InvalidPropertiesError extends Error {
  constructor(
    readonly resource: string,
    readonly problems: readonly string[],
  ) {
    super(`${resource}: invalid properties:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "InvalidPropertiesError";
  }
}

/** The object a resource manages vanished between refresh and update. */
export class GoneError extends Error {
  constructor(resource: string, what: string) {
    super(
      `${resource}: ${what} no longer exists in Quick BI. Run \`pulumi refresh\` to drop it from state; ` +
        `the next \`pulumi up\` creates it again.`,
    );
    this.name = "GoneError";
  }
}
