/**
 * A timing trace of the provider calls the engine makes, for benches and for comparing engines: with
 * `QUICKBI_PROVIDER_TRACE_FILE` set in the environment of `pulumi` (the provider host inherits it), every call appends
 * one JSON line `{"method","kind","urn","start","end","ok"}` (epoch milliseconds, fractional). Nothing is traced
 * otherwise, and a trace never holds inputs, outputs or settings.
 */
import * as fs from "node:fs";
import { urnOf } from "./contract/hiddenInputs";
import type { Handler } from "./handlers/handler";

export const TRACE_FILE_ENV = "QUICKBI_PROVIDER_TRACE_FILE";

export interface TraceRecord {
  readonly method: keyof Handler;
  readonly kind: string;
  readonly urn?: string;
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
}

function urnIn(args: readonly unknown[]): string | undefined {
  for (const a of args) {
    const urn = urnOf(a);
    if (urn !== undefined) return urn;
  }
  return undefined;
}

/** The handler, timed into the trace file when one is configured. */
export function traced(kind: string, h: Handler, file: string | undefined = process.env[TRACE_FILE_ENV]): Handler {
  if (!file) return h;
  const wrap = <M extends keyof Handler>(method: M): Handler[M] =>
    (async (...args: unknown[]) => {
      const start = performance.timeOrigin + performance.now();
      let ok = false;
      try {
        const r = await (h[method] as (...a: unknown[]) => Promise<unknown>)(...args);
        ok = true;
        return r;
      } finally {
        const rec: TraceRecord = {
          method,
          kind,
          urn: urnIn(args),
          start,
          end: performance.timeOrigin + performance.now(),
          ok,
        };
        try {
          fs.appendFileSync(file, JSON.stringify(rec) + "\n");
        } catch {
          // A trace that cannot be written never fails a deployment.
        }
      }
    }) as Handler[M];
  return {
    check: wrap("check"),
    diff: wrap("diff"),
    create: wrap("create"),
    read: wrap("read"),
    update: wrap("update"),
    delete: wrap("delete"),
  };
}
