/** Reads a results file through its schema (undefined when the file does not exist). */
import * as fs from "node:fs";
import { BenchResultsSchema, type BenchResults } from "./results";

export function readResults(file: string): BenchResults | undefined {
  if (!fs.existsSync(file)) return undefined;
  return BenchResultsSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
}
