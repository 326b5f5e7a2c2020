/**
 * Errors a lookup raises. A program fails at the lookup, before any resource is registered, so the message has to say
 * what was searched, what was found instead and how to disambiguate; a Quick BI cause keeps its Code and RequestId.
 */
import { isQuickBIApiError } from "../api/errors";

export type LookupKind = "workspace" | "user" | "user group" | "workspace roles";

/** Nothing matched exactly. `closeMatches` are the nearest names Quick BI does have (best first, may be empty). */
export class LookupNotFoundError extends Error {
  readonly code = "NotFound";
  constructor(
    readonly kind: LookupKind,
    readonly query: string,
    readonly closeMatches: readonly string[],
    readonly requestId?: string,
    hint?: string,
  ) {
    super(
      `pulumi-quickbi: no ${kind} ${JSON.stringify(query)} in the Quick BI organization` +
        (closeMatches.length > 0 ? `; did you mean ${closeMatches.map((m) => JSON.stringify(m)).join(", ")}?` : "") +
        (hint ? ` ${hint}` : "") +
        (requestId ? ` (RequestId ${requestId})` : ""),
    );
    this.name = "LookupNotFoundError";
  }
}

/** Several objects match; `candidates` describe each one so the program can pick (e.g. by id). */
export class LookupAmbiguousError extends Error {
  constructor(
    readonly kind: LookupKind,
    readonly query: string,
    readonly candidates: readonly string[],
    readonly hint: string,
    /** The Quick BI code when Quick BI itself refused to choose (`AE0579100001`). */
    readonly code: string = "Ambiguous",
    readonly requestId?: string,
  ) {
    super(
      `pulumi-quickbi: ${JSON.stringify(query)} matches more than one ${kind}` +
        (candidates.length > 0 ? ` (${candidates.join("; ")})` : "") +
        `. ${hint}` +
        (code !== "Ambiguous" ? ` [Quick BI ${code}${requestId ? `, RequestId ${requestId}` : ""}]` : ""),
    );
    this.name = "LookupAmbiguousError";
  }
}

export function requestIdOf(e: unknown): string | undefined {
  return isQuickBIApiError(e) ? e.requestId : undefined;
}
