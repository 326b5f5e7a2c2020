import { gatewayErrors } from "./gatewayErrors";
import { NonceCache } from "./nonceCache";
import {
  ACS3_ALGORITHM,
  parseAcs3Authorization,
  RPC_SIGNATURE_METHOD,
  RPC_SIGNATURE_VERSION,
  verifyAcs3,
  verifyRpc,
  sha256Hex,
  safeEqual,
  type ReceivedRequest,
} from "./signature";

export type SignatureScheme = "v3" | "v2";

export interface KeyRecord {
  accessKeyId: string;
  accessKeySecret: string;
  userId?: string;
}

export interface Authenticated {
  scheme: SignatureScheme;
  key: KeyRecord;
  securityToken?: string;
}

export interface AuthenticatorOptions {
  lookupKey: (accessKeyId: string) => KeyRecord | undefined;
  /** Allowed clock skew either way; the real gateway allows 15 minutes. */
  windowMs?: number;
  now?: () => number;
  maxNonces?: number;
}

/** `YYYY-MM-DDTHH:mm:ssZ` (optionally with milliseconds), always UTC, as both signers send it. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** The protocol parameters of a V2 request: not business parameters, never passed to an action. */
export const RPC_PROTOCOL_PARAMS: readonly string[] = [
  "Action",
  "Version",
  "Format",
  "Timestamp",
  "SignatureNonce",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureType",
  "AccessKeyId",
  "SecurityToken",
  "Signature",
];

/** Which scheme signed the request, or undefined for an unsigned request. */
export function detectScheme(req: ReceivedRequest): SignatureScheme | undefined {
  if (req.headers["authorization"]?.length) return "v3";
  const p = { ...req.query, ...req.form };
  if ("Signature" in p || "AccessKeyId" in p || "SignatureMethod" in p) return "v2";
  return undefined;
}

/**
 * Gateway authentication: scheme, access key, timestamp window, signature, nonce replay — in that order. The nonce
 * is recorded only after the signature verified, so forged requests cannot burn a legitimate caller's nonces.
 */
export class Authenticator {
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly nonces: NonceCache;

  constructor(private readonly options: AuthenticatorOptions) {
    this.windowMs = options.windowMs ?? 15 * 60 * 1000;
    this.now = options.now ?? Date.now;
    this.nonces = new NonceCache(options.maxNonces);
  }

  authenticate(req: ReceivedRequest): Authenticated {
    const scheme = detectScheme(req);
    if (scheme === "v3") return this.authenticateAcs3(req);
    if (scheme === "v2") return this.authenticateRpc(req);
    throw gatewayErrors.incompleteSignature(
      "The request carries neither an Authorization header (ACS3-HMAC-SHA256) nor a Signature parameter (HMAC-SHA1).",
    );
  }

  private authenticateAcs3(req: ReceivedRequest): Authenticated {
    const auth = parseAcs3Authorization(req.headers["authorization"]![0]!);
    if (!auth) throw gatewayErrors.incompleteSignature("The Authorization header is malformed.");
    if (auth.algorithm !== ACS3_ALGORITHM) throw gatewayErrors.unsupportedSignatureMethod(auth.algorithm);
    for (const required of [
      "host",
      "x-acs-date",
      "x-acs-signature-nonce",
      "x-acs-content-sha256",
      "x-acs-action",
      "x-acs-version",
    ]) {
      if (!req.headers[required]?.length) throw gatewayErrors.incompleteSignature(`The ${required} header is missing.`);
      if (!auth.signedHeaders.includes(required)) {
        throw gatewayErrors.incompleteSignature(`The ${required} header must be in SignedHeaders.`);
      }
    }
    // Every x-acs-* header changes meaning (routing, identity, token), so none may ride along unsigned.
    for (const name of Object.keys(req.headers)) {
      if (name.startsWith("x-acs-") && !auth.signedHeaders.includes(name)) {
        throw gatewayErrors.incompleteSignature(`The ${name} header must be in SignedHeaders.`);
      }
    }
    const key = this.findKey(auth.accessKeyId);
    const issuedAt = this.checkTimestamp(req.headers["x-acs-date"]![0]!);
    if (!safeEqual(sha256Hex(req.rawBody), req.headers["x-acs-content-sha256"]![0]!)) {
      throw gatewayErrors.signatureDoesNotMatch();
    }
    if (!verifyAcs3(req, auth, key.accessKeySecret)) throw gatewayErrors.signatureDoesNotMatch();
    this.checkNonce(key.accessKeyId, req.headers["x-acs-signature-nonce"]![0]!, issuedAt);
    const securityToken = req.headers["x-acs-security-token"]?.[0];
    return { scheme: "v3", key, ...(securityToken ? { securityToken } : {}) };
  }

  private authenticateRpc(req: ReceivedRequest): Authenticated {
    const p = { ...req.query, ...req.form };
    for (const required of ["AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce", "Timestamp"]) {
      if (!p[required]) throw gatewayErrors.missingParameter(required);
    }
    if (p["SignatureMethod"] !== RPC_SIGNATURE_METHOD)
      throw gatewayErrors.unsupportedSignatureMethod(p["SignatureMethod"]!);
    if (p["SignatureVersion"] !== undefined && p["SignatureVersion"] !== RPC_SIGNATURE_VERSION) {
      throw gatewayErrors.unsupportedSignatureMethod(`SignatureVersion ${p["SignatureVersion"]}`);
    }
    const key = this.findKey(p["AccessKeyId"]!);
    const issuedAt = this.checkTimestamp(p["Timestamp"]!);
    const verification = verifyRpc(req, key.accessKeySecret);
    if (!verification.ok) throw gatewayErrors.signatureDoesNotMatch(verification.stringToSign);
    this.checkNonce(key.accessKeyId, p["SignatureNonce"]!, issuedAt);
    const securityToken = p["SecurityToken"];
    return { scheme: "v2", key, ...(securityToken ? { securityToken } : {}) };
  }

  private findKey(accessKeyId: string): KeyRecord {
    const key = this.options.lookupKey(accessKeyId);
    if (!key) throw gatewayErrors.accessKeyNotFound();
    return key;
  }

  private checkTimestamp(value: string): number {
    const at = TIMESTAMP.test(value) ? Date.parse(value) : NaN;
    // Date.parse rolls impossible dates over (Feb 30 -> Mar 2); the round trip refuses them.
    if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 19) !== value.slice(0, 19)) {
      throw gatewayErrors.timestampFormat();
    }
    if (Math.abs(this.now() - at) > this.windowMs) throw gatewayErrors.timestampExpired();
    return at;
  }

  private checkNonce(accessKeyId: string, nonce: string, issuedAt: number): void {
    const now = this.now();
    if (!this.nonces.remember(accessKeyId, nonce, Math.max(issuedAt, now) + this.windowMs, now)) {
      throw gatewayErrors.nonceUsed();
    }
  }
}
