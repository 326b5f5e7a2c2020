/**
 * The one error type the Quick BI client throws. It carries what an operator needs to act (the Quick BI `Code`, the
 * `RequestId` to quote to support, the action) and what the retry/resource layers need to decide (`retryable`,
 * `outcomeUnknown`). It deliberately never holds the SDK's error object: that object embeds the signed request,
 * including the access key id and signature headers, and would leak them through `cause`, logs or Pulumi diagnostics.
 */

/** Codes we assign ourselves when no Quick BI response was read. */
export const TransportCodes = {
  RequestTimeout: "RequestTimeout",
  ConnectionReset: "ConnectionReset",
  ConnectionRefused: "ConnectionRefused",
  MalformedResponse: "MalformedResponse",
  /** A 200 response with `Success:false` and no `Code` of its own. */
  Unsuccessful: "Unsuccessful",
  /** The response parsed, but its `Result` did not have the documented shape. */
  UnexpectedResult: "UnexpectedResult",
  /** Credentials or settings could not be resolved; no request was sent. */
  ConfigurationError: "ConfigurationError",
} as const;
export type TransportCode = (typeof TransportCodes)[keyof typeof TransportCodes];

export interface QuickBIApiErrorInit {
  readonly action: string;
  readonly code: string;
  /** Quick BI's `Message` (or our own description for transport codes), without any request data. */
  readonly detail: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** Defaults to `isRetryable(code, httpStatus)`. */
  readonly retryable?: boolean;
  readonly outcomeUnknown?: boolean;
  readonly recommend?: string;
  /** How many attempts were made before giving up (1 = no retry). */
  readonly attempts?: number;
}

export class QuickBIApiError extends Error {
  readonly code: string;
  readonly action: string;
  readonly detail: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly retryable: boolean;
  /** True when a non-idempotent write may have been applied by the server although we saw no success. */
  readonly outcomeUnknown: boolean;
  readonly recommend?: string;
  readonly attempts: number;

  constructor(init: QuickBIApiErrorInit) {
    super(formatMessage(init));
    this.name = "QuickBIApiError";
    this.code = init.code;
    this.action = init.action;
    this.detail = init.detail;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    this.retryable = init.retryable ?? isRetryable(init.code, init.httpStatus);
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    if (init.recommend !== undefined) this.recommend = init.recommend;
    this.attempts = init.attempts ?? 1;
  }

  /** A copy with some fields replaced (the message is rebuilt), e.g. to mark `outcomeUnknown` or count attempts. */
  with(patch: Partial<QuickBIApiErrorInit>): QuickBIApiError {
    return new QuickBIApiError({ ...this.toInit(), ...patch });
  }

  toInit(): QuickBIApiErrorInit {
    return {
      action: this.action,
      code: this.code,
      detail: this.detail,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      retryable: this.retryable,
      outcomeUnknown: this.outcomeUnknown,
      recommend: this.recommend,
      attempts: this.attempts,
    };
  }

  /** Plain data for logs and Pulumi diagnostics (all fields are already secret-free). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...this.toInit() };
  }
}

/** A 200 whose body says `Success:false` (on an action without a partial-success answer). */
export function unsuccessfulError(
  action: string,
  env: { readonly requestId: string; readonly code?: string; readonly message?: string },
): QuickBIApiError {
  return new QuickBIApiError({
    action,
    code: env.code ?? TransportCodes.Unsuccessful,
    detail: env.message ?? "the response said Success:false",
    requestId: env.requestId || undefined,
    httpStatus: 200,
    retryable: false,
  });
}

function formatMessage(init: QuickBIApiErrorInit): string {
  const rid = init.requestId ? ` (RequestId ${init.requestId})` : "";
  const unknown = init.outcomeUnknown ? " [the write may or may not have been applied]" : "";
  return `QuickBI ${init.action} failed: ${init.code}: ${init.detail}${rid}${unknown}`;
}

const RETRYABLE_CODES = new Set<string>([
  "ServiceUnavailable",
  "InternalError",
  "Internal.System.Error",
  "RequestTimeout",
  "ConnectionReset",
  "ConnectionRefused",
  "MalformedResponse",
]);

/**
 * Throttling and server-side/transport failures are worth retrying; business 4xx errors are not (the same request
 * will fail the same way). Quick BI reports some business errors as 500 (older doc pages, AddWorkspaceUsers), so a 5xx
 * with a dotted business code like `Workspace.Not.Exist` is NOT retryable: classify by code first, status second.
 */
export function isRetryable(code: string, httpStatus?: number): boolean {
  if (code.startsWith("Throttling")) return true;
  if (RETRYABLE_CODES.has(code)) return true;
  if (httpStatus !== undefined && httpStatus >= 500) {
    return !isBusinessCode(code);
  }
  return false;
}

/** Quick BI business codes are dotted identifiers that are not gateway/transport codes. */
function isBusinessCode(code: string): boolean {
  if (code === "" || code === "undefined") return false;
  if (RETRYABLE_CODES.has(code) || code.startsWith("Throttling")) return false;
  return /^[A-Za-z0-9]+(\.[A-Za-z0-9]+)+$/.test(code) || /^AE\d+$/.test(code);
}

/** Is a throttling answer (the request was rejected before it ran, so it is safe to retry even for writes). */
export function isThrottling(code: string): boolean {
  return code.startsWith("Throttling");
}

export function isQuickBIApiError(e: unknown): e is QuickBIApiError {
  return e instanceof QuickBIApiError;
}

function hasCode(e: unknown, ...codes: string[]): boolean {
  return isQuickBIApiError(e) && codes.includes(e.code);
}

/** The organization user does not exist (anymore). */
export function isUserNotFound(e: unknown): boolean {
  // Not `ApiUser.Not.Exists`: that one is about the caller (the access key's user), not the target user.
  return hasCode(e, "User.Not.In.Organization", "Invalid.User.Organization");
}

/** The user is not a member of the workspace. */
export function isMembershipNotFound(e: unknown): boolean {
  return hasCode(e, "User.NotIn.Workspace");
}

/** The user group does not exist. */
export function isUserGroupNotFound(e: unknown): boolean {
  return hasCode(e, "Usergroup.Not.Exist", "UserGroup.NotIn.Organization");
}

/** The workspace does not exist. */
export function isWorkspaceNotFound(e: unknown): boolean {
  return hasCode(e, "Workspace.Not.Exist", "Invalid.Workspace", "Workspace.NotIn.Organization");
}
