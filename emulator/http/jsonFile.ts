import { readFileSync } from "node:fs";
import type { z } from "zod";

/**
 * Reads a JSON file the user named (`--seed`, `--state`, `--faults`) and validates it. Errors name the file and the
 * offending fields, and never quote the file's text: a wrong path (say, a credentials file) must not be echoed.
 */
export function readJsonFile<S extends z.ZodTypeAny>(path: string, schema: S, what: string): z.output<S> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new Error(`${what} ${path}: cannot be read (${code})`);
    throw new Error(`${what} ${path}: not a JSON file`);
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data as z.output<S>;
  const issues = parsed.error.issues;
  const listed = issues.slice(0, 5).map((i) => `${i.path.length > 0 ? i.path.join(".") : "(top level)"}: ${i.message}`);
  const more = issues.length > listed.length ? `; and ${issues.length - listed.length} more` : "";
  throw new Error(`${what} ${path}: ${listed.join("; ")}${more}`);
}
