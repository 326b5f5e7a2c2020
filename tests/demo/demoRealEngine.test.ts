/**
 * `npm run demo` on the real Pulumi engine (the CLI through the Automation API), the path it takes whenever a CLI
 * can be had. The same phases and checks as the offline run (demo.test.ts); CI runs both.
 */
import { plannedOps, runDemo, type DemoResult } from "../../demo";
import { describeWithCli } from "../realengine/withCli";

describeWithCli("npm run demo on the real Pulumi CLI", (cli) => {
  let result: DemoResult;
  const env = process.env.PULUMI_QUICKBI_CLI_DIR;
  beforeAll(async () => {
    // Whatever found the CLI (env, cache, PATH), the demo must find the same one.
    process.env.PULUMI_QUICKBI_CLI_DIR = cli.dir;
    result = await runDemo({ quiet: true, engine: "auto" });
  }, 300_000);
  afterAll(() => {
    if (env === undefined) delete process.env.PULUMI_QUICKBI_CLI_DIR;
    else process.env.PULUMI_QUICKBI_CLI_DIR = env;
  });

  test("auto picks the real engine and says which CLI and version, first", () => {
    expect(result.engine).toBe("pulumi-cli");
    expect(result.lines[1]).toMatch(
      /^Engine: the Pulumi CLI 3\.\d+\.\d+ \(.*\/pulumi, from PULUMI_QUICKBI_CLI_DIR\) through the Automation API/,
    );
  });

  test("every phase ran and every check passed; exit status 0", () => {
    expect(result.failures).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.phases.map((p) => p.operation)).toEqual([
      "preview",
      "up",
      "preview",
      "preview",
      "up",
      "preview",
      "out-of-band",
      "refresh",
      "preview",
      "up",
      "destroy",
    ]);
    for (const p of result.phases)
      for (const c of p.checks) expect(`${p.title}: ${c.name} ${c.ok}`).toBe(`${p.title}: ${c.name} true`);
  });

  test("the engine's steps are those of the offline run: 8 creates; the staged change; the drift; 8 deletes", () => {
    expect(result.phases[0].report?.counts).toMatchObject({ create: 8, update: 0, replace: 0, delete: 0 });
    expect(plannedOps(result.phases[1].report!)).toEqual(plannedOps(result.phases[0].report!));
    expect(result.phases[3].report?.counts).toMatchObject({ create: 1, update: 3, replace: 1, delete: 1 });
    expect(result.phases[7].report?.counts).toMatchObject({ "refresh-changed": 1, "refresh-deleted": 1 });
    expect(result.phases[8].report?.counts).toMatchObject({ create: 1, update: 1, replace: 0, delete: 0 });
    expect(result.phases[10].report?.counts.delete).toBe(8);
  });

  test("the staged preview's access report lists each user's change", () => {
    const entry = result.phases[3].accessReport.find((e) => e.name === "team-sales-analysts");
    expect(entry?.changes.map((c) => [c.nickName, c.from, c.to]).sort()).toEqual([
      ["Arjun Analyst", "analyst", "viewer"],
      ["Nora New", "analyst", "viewer"],
    ]);
  });
});
