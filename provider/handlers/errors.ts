/**
 * Errors the handlers raise. Only `PartialApplyError` carries `id`: the dynamic-provider host turns an error with an
 * `id` into a partially created/updated resource (ErrorResourceInitFailed) and records `properties` as its outputs,
 * so the next `up` finishes the rest. Every other error must NOT have an `id`, or a failed create would leave a
 * phantom resource in state.
 *
 * Messages name at most MAX_LISTED users (api/bounded.ts): one naming a thousand would not reach the engine.
 */
import { boundLines, boundText, listed } from "../api/bounded";
import type { MemberFailure } from "../service/outcome";

/** One line per failed user (the first few), with the Quick BI code, the action and the RequestId to quote. */
export function describeFailures(failures: readonly MemberFailure[]): string {
  const lines = failures.map((f) => {
    const where = [f.action, f.requestId ? `RequestId ${f.requestId}` : undefined].filter(Boolean).join(", ");
    return `  - ${boundText(f.userId, 100)}: ${f.code}: ${boundText(f.message, 300)}${where ? ` (${where})` : ""}`;
  });
  return boundLines(lines).join("\n");
}

/** The per-user code of a membership that exists already, for a resource not told to adopt it. */
export const ADOPT_REQUIRED = "AdoptRequired";

/** The object exists in Quick BI already and the resource was not told to take it over. */
export class AdoptRequiredError extends Error {
  constructor(
    readonly resource: string,
    /** What exists, in words (e.g. `user b5d8… (nickName "Ana")`). */
    readonly existing: readonly string[],
    cause?: string,
  ) {
    super(
      `${resource}: already exists in Quick BI: ${listed(existing)}. ` +
        `To manage it with this resource, set \`adopt: true\` (it is then taken over and converged to the program); ` +
        `otherwise remove it in Quick BI or from the program.` +
        (cause ? ` (${boundText(cause, 500)})` : ""),
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
    super(
      `${resource}: could not ${verb} ${failures.length === 1 ? "1 user" : `${failures.length} users`}:\n${describeFailures(failures)}`,
    );
    this.name = "MembershipWriteError";
  }
  /** The first Quick BI code, for callers that branch on one. */
  get code(): string {
    return this.failures[0]?.code ?? "";
  }
}

/** Keys the host needs in every property bag it stores, which it adds to outputs only on success. */
const CARRIED_KEYS = ["__provider"] as const;

/**
 * Part of a batch was applied. `properties` are the outputs describing what WAS applied (plus `__provider`, which
 * the host adds only to successful answers: without it every later refresh or delete of the recorded resource fails);
 * `reasons` list each failure. The next `up` sees the difference between these outputs and the program and updates
 * the rest.
 */
export class PartialApplyError extends Error {
  readonly reasons: string[];
  readonly properties: Record<string, unknown>;
  constructor(
    readonly id: string,
    outputs: Record<string, unknown>,
    readonly failures: readonly MemberFailure[],
    summary: string,
    /** The inputs of the call (create's inputs, update's news): where `__provider` comes from. */
    inputs: unknown,
  ) {
    super(
      `${summary}:\n${describeFailures(failures)}\n` +
        `The rest was applied and is recorded; fix the cause and run \`pulumi up\` again to finish.`,
    );
    this.name = "PartialApplyError";
    const bag = inputs !== null && typeof inputs === "object" ? (inputs as Record<string, unknown>) : {};
    this.properties = {
      ...outputs,
      ...Object.fromEntries(CARRIED_KEYS.filter((k) => typeof bag[k] === "string").map((k) => [k, bag[k]])),
    };
    this.reasons = boundLines(
      failures.map(
        (f) =>
          `${f.userId}: ${f.code}: ${boundText(f.message, 300)}${f.requestId ? ` (RequestId ${f.requestId})` : ""}`,
      ),
    );
  }
}

/** Inputs that reached create/update without passing check (a bug or a hand-edited state), or unreadable state. */
export class InvalidPropertiesError extends Error {
  constructor(
    readonly resource: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${resource}: invalid properties:\n${boundLines(problems.map((p) => `  - ${boundText(p, 300)}`)).join("\n")}`,
    );
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
