/** The single path every typed operation takes: call, insist on `Success:true`, validate `Result` with zod. */
import { z } from "zod";
import type { CallOptions, QueryParams, QuickBICaller } from "../call";
import { QuickBIApiError, TransportCodes, unsuccessfulError } from "../errors";

export function parseResult<S extends z.ZodTypeAny>(
  action: string,
  schema: S,
  result: unknown,
  requestId?: string,
): z.output<S> {
  const parsed = schema.safeParse(result);
  if (parsed.success) return parsed.data;
  // Only paths and expectations, never values: a Result may contain personal data (emails, phone numbers).
  const where = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "Result"}: ${i.message}`)
    .join("; ");
  throw new QuickBIApiError({
    action,
    code: TransportCodes.UnexpectedResult,
    detail: `the Result did not have the documented shape (${where})`,
    requestId: requestId || undefined,
    httpStatus: 200,
    retryable: false,
  });
}

export async function invoke<S extends z.ZodTypeAny>(
  c: QuickBICaller,
  action: string,
  params: QueryParams,
  options: CallOptions,
  schema: S,
): Promise<z.output<S>> {
  const env = await c.callEnvelope(action, params, options);
  if (!env.success) throw unsuccessfulError(action, env);
  return parseResult(action, schema, env.result, env.requestId);
}

/** Comma-joined list parameter; rejects ids that would corrupt the list. */
export function joinIds(action: string, name: string, ids: readonly (string | number)[]): string {
  for (const id of ids) {
    const s = String(id);
    if (s === "" || s.includes(",")) {
      throw new QuickBIApiError({
        action,
        code: "Invalid.Parameter.Error",
        detail: `${name} contains an empty id or an id with a comma`,
        retryable: false,
      });
    }
  }
  return ids.map(String).join(",");
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs a re-read; an error that says "the thing is not there" is an answer, anything else is not. */
export async function absentOn<T>(read: () => Promise<T>, isAbsent: (e: unknown) => boolean): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (isAbsent(e)) return undefined;
    throw e;
  }
}
