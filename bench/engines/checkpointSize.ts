/** A checkpoint file's size and how many custom resources (other than providers) it holds. */
import * as fs from "node:fs";
import { z } from "zod";

const ResourcesSchema = z.array(
  z.object({ custom: z.boolean().optional(), type: z.string(), delete: z.boolean().optional() }),
);
/** The CLI's file backend: `{checkpoint: {latest: {resources}}}`. */
const CliCheckpointSchema = z.object({
  checkpoint: z.object({ latest: z.object({ resources: ResourcesSchema.optional() }).optional() }),
});
/** The driver's state file: `{resources}`. */
const DriverStateSchema = z.object({ resources: ResourcesSchema });

export function checkpointSize(file: string): { bytes: number; resources: number } | null {
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file);
  const json: unknown = JSON.parse(text.toString("utf8"));
  const cli = CliCheckpointSchema.safeParse(json);
  const resources = cli.success
    ? (cli.data.checkpoint.latest?.resources ?? [])
    : DriverStateSchema.parse(json).resources;
  const custom = resources.filter((r) => r.custom !== false && !r.delete && !r.type.startsWith("pulumi:"));
  return { bytes: text.length, resources: custom.length };
}
