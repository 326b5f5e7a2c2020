/** Lookup arguments are checked before any request, with the same kind of message a resource's check gives. */
import type { z } from "zod";

export class LookupArgumentError extends Error {
  constructor(
    readonly fn: string,
    readonly problems: readonly string[],
  ) {
    super(`pulumi-quickbi ${fn}: invalid arguments: ${problems.join("; ")}`);
    this.name = "LookupArgumentError";
  }
}

export function parseArgs<S extends z.ZodTypeAny>(fn: string, schema: S, args: unknown): z.output<S> {
  const r = schema.safeParse(args);
  if (r.success) return r.data;
  throw new LookupArgumentError(
    fn,
    r.error.issues.map((i) => `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`),
  );
}
