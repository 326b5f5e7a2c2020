/**
 * The retry backoff knobs the fault matrix relies on (`quickbi:retryBaseDelayMs` / `quickbi:retryMaxDelayMs`, or
 * QUICKBI_RETRY_BASE_DELAY_MS / QUICKBI_RETRY_MAX_DELAY_MS): resolved like every other setting, validated with a
 * message naming key, value and fix, and honoured by the client's backoff.
 */
import { DEMO_ACCESS_KEY, defaultSeed, startEmulator, type RunningEmulator } from "pulumi-quickbi/emulator";
import { QuickBIClient, type ClientEvent } from "../../provider/api/client";
import { listOrganizationRoles } from "../../provider/api/operations";
import { DEFAULTS, resolveSettings } from "../../provider/api/settings";

const KEYS = {
  "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
  "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
};
const cfg = (c: Record<string, string>) => ({ get: (k: string) => c[k] });

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: defaultSeed() });
});
afterAll(async () => {
  await emu.stop();
});

test("defaults, stack config, then environment", async () => {
  const base = { "quickbi:endpoint": emu.url, ...KEYS };
  expect(await resolveSettings(cfg(base), {})).toMatchObject({
    retryBaseDelayMs: DEFAULTS.retryBaseDelayMs,
    retryMaxDelayMs: DEFAULTS.retryMaxDelayMs,
  });
  expect(
    await resolveSettings(cfg(base), { QUICKBI_RETRY_BASE_DELAY_MS: "7", QUICKBI_RETRY_MAX_DELAY_MS: "70" }),
  ).toMatchObject({
    retryBaseDelayMs: 7,
    retryMaxDelayMs: 70,
  });
  const s = await resolveSettings(cfg({ ...base, "quickbi:retryBaseDelayMs": "3", "quickbi:retryMaxDelayMs": "30" }), {
    QUICKBI_RETRY_BASE_DELAY_MS: "7",
  });
  expect(s).toMatchObject({ retryBaseDelayMs: 3, retryMaxDelayMs: 30 });
  expect(s.sources.retryBaseDelayMs).toBe("stack config quickbi:retryBaseDelayMs");
});

test("an invalid value names the key, the value and the fix", async () => {
  const err = await resolveSettings(
    cfg({ "quickbi:endpoint": emu.url, ...KEYS, "quickbi:retryMaxDelayMs": "soon" }),
    {},
  ).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: "ConfigurationError" });
  expect((err as Error).message).toContain('quickbi:retryMaxDelayMs is "soon"');
  expect((err as Error).message).toContain("pulumi config set quickbi:retryMaxDelayMs");
});

test("the client's backoff stays under the configured ceiling", async () => {
  emu.setFaults({ rules: [{ errorRate: 1, errorCode: "ServiceUnavailable", times: 4 }] });
  const events: ClientEvent[] = [];
  const settings = await resolveSettings(
    cfg({
      "quickbi:endpoint": emu.url,
      ...KEYS,
      "quickbi:maxRetries": "5",
      "quickbi:retryBaseDelayMs": "2",
      "quickbi:retryMaxDelayMs": "8",
    }),
    {},
  );
  const client = new QuickBIClient(settings, { onEvent: (e) => events.push(e) });
  await listOrganizationRoles(client);
  const retries = events.filter((e): e is Extract<ClientEvent, { type: "retry" }> => e.type === "retry");
  expect(retries).toHaveLength(4);
  for (const r of retries) expect(r.delayMs).toBeLessThanOrEqual(8);
  emu.setFaults({});
});
