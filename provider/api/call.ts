/**
 * The contract between typed operations and the transport. Operations depend on this interface, not on
 * `QuickBIClient`, so the service layer can wrap a client (batching, caching) without touching operations.
 */

/** What a re-read concluded about a write whose outcome we did not see. */
export type VerifyOutcome =
  | "applied"
  | "not-applied"
  /** Applied, and here is the `Result` to hand back instead of the lost response (e.g. AddUser's new UserId). */
  | { readonly status: "applied"; readonly result: unknown };

/** Re-reads server state to decide whether a write that timed out / was reset / got a 5xx actually landed. */
export type Verify = () => Promise<VerifyOutcome>;

export type HttpMethod = "GET" | "POST";

export interface CallOptions {
  /**
   * Safe to repeat blindly (reads, and writes whose repetition cannot change the outcome). Non-idempotent calls are
   * retried only when the failure proves the request did not run (throttling, gateway rejections) or when `verify`
   * says "not-applied".
   */
  readonly idempotent: boolean;
  /** Parameters that travel in the form body instead of the query string (AddUser.RoleIds). */
  readonly body?: Readonly<Record<string, string>>;
  /** Defaults to POST. */
  readonly method?: HttpMethod;
  readonly verify?: Verify;
}

/** The parsed envelope of a 200 response. */
export interface Envelope {
  /** Empty when `synthesized`. */
  readonly requestId: string;
  readonly success: boolean;
  readonly result: unknown;
  /** `Code`/`Message` of a `Success:false` body, when it has them. */
  readonly code?: string;
  readonly message?: string;
  /** True when no response was seen and `verify` established that the write had been applied. */
  readonly synthesized?: boolean;
}

export type QueryParams = Readonly<Record<string, string | number | boolean | undefined>>;

export interface QuickBICaller {
  /** The `Result` of a `Success:true` response; throws `QuickBIApiError` otherwise. */
  call(action: string, params: QueryParams, options: CallOptions): Promise<unknown>;
  /**
   * Like `call`, but a 200 with `Success:false` is returned instead of thrown (batch actions answer "nothing was
   * persisted" that way and still carry a `Result`).
   */
  callEnvelope(action: string, params: QueryParams, options: CallOptions): Promise<Envelope>;
}

/** Options every non-idempotent typed operation accepts. */
export interface WriteOptions {
  /** Overrides the operation's own re-read used when a write's outcome is unknown. */
  readonly verify?: Verify;
}
