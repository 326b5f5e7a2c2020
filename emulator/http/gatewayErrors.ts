import { QuickBIError } from "../model/errors";

/**
 * Errors the Alibaba Cloud API gateway (not Quick BI itself) answers with. Codes, messages and statuses follow
 * quickbi-api.md §7; they are QuickBIErrors so the server has a single error path into the envelope.
 */
export const gatewayErrors = {
  accessKeyNotFound: () => new QuickBIError("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404),
  signatureDoesNotMatch: (serverStringToSign?: string) =>
    new QuickBIError(
      "SignatureDoesNotMatch",
      "Specified signature is not matched with our calculation." +
        (serverStringToSign === undefined ? "" : ` server string to sign is:${serverStringToSign}`),
      400,
    ),
  timestampExpired: () =>
    new QuickBIError("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.", 400),
  timestampFormat: () =>
    new QuickBIError("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.", 400),
  nonceUsed: () => new QuickBIError("SignatureNonceUsed", "Specified signature nonce was used already.", 400),
  incompleteSignature: (detail: string) =>
    new QuickBIError(
      "IncompleteSignature",
      `The request signature does not conform to Aliyun standards. ${detail}`,
      400,
    ),
  unsupportedSignatureMethod: (method: string) =>
    new QuickBIError("InvalidSignatureMethod", `Specified signature method is not supported: ${method}.`, 400),
  missingParameter: (name: string) =>
    new QuickBIError(
      "MissingParameter",
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
      400,
    ),
  actionNotFound: () =>
    new QuickBIError("InvalidAction.NotFound", "Specified api is not found, please check your url and method.", 404),
  invalidVersion: () => new QuickBIError("InvalidVersion", "Specified parameter Version is not valid.", 400),
  malformedRequest: (detail: string) =>
    new QuickBIError("InvalidParameter", `The request is malformed: ${detail}`, 400),
  headersTooLarge: () =>
    new QuickBIError(
      "RequestHeaderFieldsTooLarge",
      "The request line and headers (the query string included) are too large.",
      431,
    ),
  bodyTooLarge: (limit: number) =>
    new QuickBIError("RequestEntityTooLarge", `The request body exceeds ${limit} bytes.`, 413),
  /** Not a gateway answer we have seen documented: the emulator's own guard, shaped like a transient failure. */
  bodiesInFlight: () =>
    new QuickBIError(
      "ServiceUnavailable",
      "The request has failed due to a temporary failure of the server. (emulator: too many request bytes in flight)",
      503,
    ),
  throttlingUser: () => new QuickBIError("Throttling.User", "Request was denied due to user flow control.", 400),
  serviceUnavailable: () =>
    new QuickBIError("ServiceUnavailable", "The request has failed due to a temporary failure of the server.", 503),
  internalError: () =>
    new QuickBIError(
      "InternalError",
      "The request processing has failed due to some unknown error, exception or failure.",
      500,
    ),
} as const;
