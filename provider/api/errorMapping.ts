/**
 * Turns whatever `@alicloud/openapi-client` throws into a `QuickBIApiError`, copying only named fields. The SDK's
 * errors can reference the signed request (headers incl. Authorization, security token); nothing here keeps the
 * original object, its message text, or its stack.
 */
import { isThrottling, QuickBIApiError, TransportCodes } from "./errors";

/** What one attempt's failure tells us about whether a write ran. */
export type Delivery =
  /** The server answered with a rejection: nothing was applied. */
  | "rejected"
  /** The request never reached the server (connection refused, DNS): nothing was applied. */
  | "not-sent"
  /** No (parsable) answer after the request may have been processed, or a 5xx: may have been applied. */
  | "unknown";

export interface MappedError {
  readonly error: QuickBIApiError;
  readonly delivery: Delivery;
}

function field(o: unknown, key: string): unknown {
  return typeof o === "object" && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Replaces any occurrence of the given secrets (access key id/secret, token) in server-provided text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join("****");
  }
  return out;
}

const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const RESET = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE", "HPE_INVALID_CONSTANT"]);

export function mapThrown(action: string, thrown: unknown, secrets: readonly string[]): MappedError {
  // Refused before sending (e.g. calls stopped because the engine is gone): already ours.
  if (thrown instanceof QuickBIApiError) return { error: thrown, delivery: "not-sent" };
  const name = str(field(thrown, "name")) ?? "";
  const message = str(field(thrown, "message")) ?? "";
  const code = str(field(thrown, "code"));
  const data = field(thrown, "data");
  const statusRaw = field(thrown, "statusCode") ?? field(data, "statusCode");
  const httpStatus =
    typeof statusRaw === "number" || (typeof statusRaw === "string" && /^\d{3}$/.test(statusRaw))
      ? Number(statusRaw)
      : undefined;

  // An HTTP error answer the SDK parsed: {RequestId, HostId, Code, Message, Recommend}.
  if (httpStatus !== undefined && typeof data === "object" && data !== null) {
    const qbCode = str(field(data, "Code")) ?? str(field(data, "code")) ?? (code !== "undefined" ? code : undefined);
    const error = new QuickBIApiError({
      action,
      code: qbCode ?? `HTTP${httpStatus}`,
      detail: scrubSecrets(str(field(data, "Message")) ?? str(field(data, "message")) ?? `HTTP ${httpStatus}`, secrets),
      requestId: str(field(data, "RequestId")) ?? str(field(data, "requestId")),
      httpStatus,
      recommend: str(field(data, "Recommend")),
    });
    // Throttling and business codes are rejections before any change. Everything else retryable (5xx,
    // ServiceUnavailable, InternalError, Internal.System.Error) may have run before failing.
    const delivery: Delivery = !error.retryable || isThrottling(error.code) ? "rejected" : "unknown";
    return { error, delivery };
  }

  // The body was not JSON (a proxy's HTML page, a truncated body): the status is lost with the SDK's parse.
  if (name === "SyntaxError") {
    return {
      error: new QuickBIApiError({
        action,
        code: TransportCodes.MalformedResponse,
        detail: "the response body was not JSON (a proxy or gateway page, or a truncated response)",
        retryable: true,
      }),
      delivery: "unknown",
    };
  }

  if (name.includes("Timeout") || code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT") {
    // httpx reports an idle socket as "ConnectTimeout" even after the request was written, so every timeout is
    // treated as "may have been applied".
    const phase = message.startsWith("ConnectTimeout") ? "connect" : "read";
    return {
      error: new QuickBIApiError({
        action,
        code: TransportCodes.RequestTimeout,
        detail: `no response in time (${phase} timeout)`,
        retryable: true,
      }),
      delivery: "unknown",
    };
  }

  if (code && NOT_SENT.has(code)) {
    return {
      error: new QuickBIApiError({
        action,
        code: TransportCodes.ConnectionRefused,
        detail: `could not connect to the endpoint (${code})`,
        retryable: true,
      }),
      delivery: "not-sent",
    };
  }

  if ((code && RESET.has(code)) || /socket hang up/i.test(message)) {
    return {
      error: new QuickBIApiError({
        action,
        code: TransportCodes.ConnectionReset,
        detail: `the connection was closed before a response arrived (${code ?? "socket hang up"})`,
        retryable: true,
      }),
      delivery: "unknown",
    };
  }

  // Anything else (e.g. InvalidCredentials from the SDK, a credential provider refresh failure): not retryable,
  // described by its code/name only, so no request data can leak through the SDK's message.
  const label = code && code !== "undefined" ? code : name || "Error";
  return {
    error: new QuickBIApiError({
      action,
      code: label === "InvalidCredentials" ? TransportCodes.ConfigurationError : "ClientError",
      detail:
        label === "InvalidCredentials"
          ? "the client has no usable credentials"
          : `the request failed inside the client (${scrubSecrets(label, secrets)})`,
      retryable: false,
    }),
    delivery: "not-sent",
  };
}
