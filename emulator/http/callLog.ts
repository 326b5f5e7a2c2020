import { z } from "zod";

/** One entry of `GET /__emulator/calls`. */
export const CallRecordSchema = z.object({
  /** 1-based, increasing for the server's lifetime (survives DELETE /__emulator/calls). */
  seq: z.number().int(),
  /** ISO time the request arrived. */
  timestamp: z.string(),
  requestId: z.string(),
  action: z.string().nullable(),
  version: z.string().nullable(),
  /** "v3" ACS3-HMAC-SHA256, "v2" HMAC-SHA1, null when refused before authentication. */
  signature: z.enum(["v3", "v2"]).nullable(),
  accessKeyId: z.string().nullable(),
  /** Business parameters (query + form body) without protocol/signature fields; secret-like values redacted. */
  params: z.record(z.string()),
  /** "OK", the error Code, "Success:false" for a batch failure answer, or "ConnectionReset" when the socket was cut. */
  code: z.string(),
  /** 0 when no HTTP answer was sent (connection reset). */
  httpStatus: z.number().int(),
  durationMs: z.number(),
  /** Injected faults, e.g. ["latency:20ms", "error:ServiceUnavailable"]. */
  faults: z.array(z.string()),
  /** True when the call changed (and persisted) the organization. */
  mutated: z.boolean(),
  /** The quirks in force when the call was answered (`--quirks`); empty for the default readings. */
  quirks: z.array(z.string()),
});

export type CallRecord = z.infer<typeof CallRecordSchema>;

/** Bounded call log (oldest dropped first) so a long-running CLI emulator does not grow without limit. */
export class CallLog {
  private records: CallRecord[] = [];
  private nextSeq = 1;

  constructor(private readonly maxRecords = 10_000) {}

  add(record: Omit<CallRecord, "seq">): CallRecord {
    const full = { seq: this.nextSeq++, ...record };
    this.records.push(full);
    if (this.records.length > this.maxRecords) this.records.splice(0, this.records.length - this.maxRecords);
    return full;
  }

  list(filter: { action?: string; sinceSeq?: number } = {}): CallRecord[] {
    return this.records.filter(
      (r) =>
        (filter.action === undefined || r.action === filter.action) &&
        (filter.sinceSeq === undefined || r.seq > filter.sinceSeq),
    );
  }

  clear(): number {
    const n = this.records.length;
    this.records = [];
    return n;
  }
}

const SECRET_LIKE = /secret|password|token|signature/i;

/** Call-log view of parameters: protocol fields are dropped, secret-looking values masked. */
export function redactParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = SECRET_LIKE.test(k) ? "***" : v;
  return out;
}
