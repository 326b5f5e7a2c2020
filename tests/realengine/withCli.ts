/**
 * Real-engine suites run whenever a Pulumi CLI is available ($PULUMI_QUICKBI_CLI_DIR, the cache of
 * `npm run pulumi-cli`, or PATH). Without one they are skipped, and the skipped block's title says why, unless
 * $PULUMI_QUICKBI_REQUIRE_CLI=1 (set by .ci/run): then the missing CLI is a failing test.
 */
import { findCli, REQUIRE_CLI_ENV, type CliLocation } from "../../realengine";

function locate(): { cli?: CliLocation; why: string } {
  try {
    const cli = findCli();
    return cli
      ? { cli, why: "" }
      : { why: "no Pulumi CLI in $PULUMI_QUICKBI_CLI_DIR, the `npm run pulumi-cli` cache or PATH" };
  } catch (e) {
    return { why: e instanceof Error ? e.message : String(e) };
  }
}

export function describeWithCli(title: string, body: (cli: CliLocation) => void): void {
  const { cli, why } = locate();
  if (cli) {
    describe(title, () => body(cli));
  } else if (process.env[REQUIRE_CLI_ENV] === "1") {
    test(`${title}: a Pulumi CLI is required (${REQUIRE_CLI_ENV}=1)`, () => {
      throw new Error(`${why}; run \`npm run pulumi-cli\` and export PULUMI_QUICKBI_CLI_DIR`);
    });
  } else {
    describe.skip(`${title} — SKIPPED: ${why}; \`npm run pulumi-cli\` makes one`, () => {
      test("needs a Pulumi CLI", () => undefined);
    });
  }
}
