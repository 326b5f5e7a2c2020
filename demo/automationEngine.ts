/**
 * The demo on the real Pulumi engine: realengine/'s CliStack (the CLI through the Automation API, a local file
 * backend in a temporary folder, a made-up passphrase). The program is the same inline function the offline driver
 * runs.
 */
import type { RunReport } from "../engine/report";
import { CliStack, type CliLocation } from "../realengine";
import type { DemoEngine, EngineFactoryOptions, PriorResource } from "./demoEngine";
import type { StackSettings } from "./phases";

const SOURCES: Record<CliLocation["source"], string> = {
  env: "from PULUMI_QUICKBI_CLI_DIR",
  path: "on PATH",
  "path-shim": "on PATH, with this repository's plugin scripts",
  cache: "built by `npm run pulumi-cli`, cached",
  build: "just built by `npm run pulumi-cli`",
};

export class AutomationEngine implements DemoEngine {
  readonly kind = "pulumi-cli" as const;
  readonly banner: string[];

  private constructor(
    private readonly stack: CliStack,
    cli: CliLocation,
  ) {
    this.banner = [
      `Engine: the Pulumi CLI ${stack.version} (${cli.dir}/pulumi, ${SOURCES[cli.source]}) through the Automation API,`,
      "        local file backend in a temporary directory, temporary secrets passphrase.",
    ];
  }

  static async create(opts: EngineFactoryOptions, cli: CliLocation): Promise<AutomationEngine> {
    const stack = await CliStack.create({
      cliDir: cli.dir,
      program: opts.program,
      project: opts.project,
      stack: opts.stack,
      passphrase: opts.passphrase,
      ...(opts.env ? { env: opts.env } : {}),
    });
    return new AutomationEngine(stack, cli);
  }

  preview(settings: StackSettings): Promise<RunReport> {
    return this.stack.preview(settings);
  }

  up(settings: StackSettings): Promise<RunReport> {
    return this.stack.up(settings);
  }

  refresh(settings: StackSettings): Promise<RunReport> {
    return this.stack.refresh(settings);
  }

  destroy(settings: StackSettings): Promise<RunReport> {
    return this.stack.destroy(settings);
  }

  async priorResources(): Promise<Map<string, PriorResource>> {
    return this.stack.resources();
  }

  close(): Promise<void> {
    return this.stack.close();
  }
}
