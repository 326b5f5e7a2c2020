/**
 * Canary: a distinctive secret, token and key id must never appear in anything the client produces: errors (message,
 * JSON, util.inspect, stack), debug events, the client object itself.
 */
import * as util from "node:util";
import { defaultSeed, type RunningEmulator } from "../../../emulator";
import type { ClientEvent } from "../../../provider/api/client";
import { QuickBIClient } from "../../../provider/api/client";
import * as ops from "../../../provider/api/operations";
import { resolveSettings } from "../../../provider/api/settings";
import { rejection, SEED, startApiEmulator } from "./helpers";

const KEY_ID = "LTAIcanaryKeyId7Q3Z";
const SECRET = "CANARY-SECRET-4b1d9c";
const TOKEN = "CANARY-TOKEN-77e0aa";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startApiEmulator({
    seed: { ...defaultSeed(), accessKeys: [{ accessKeyId: KEY_ID, accessKeySecret: SECRET }] },
  });
});
afterAll(async () => {
  await emu.stop();
});

function rendered(x: unknown): string {
  const parts = [util.inspect(x, { depth: 20, showHidden: true }), JSON.stringify(x) ?? ""];
  if (x instanceof Error) parts.push(x.message, x.stack ?? "", String(x));
  return parts.join("\n");
}
function expectClean(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(KEY_ID);
  expect(text).not.toMatch(/ACS3-HMAC-SHA256 Credential|Signature=|authorization/i);
}

it("no error, event or client rendering contains a credential", async () => {
  const events: ClientEvent[] = [];
  const make = async (secret: string, extra: Record<string, string> = {}) => {
    const cfg: Record<string, string> = {
      "quickbi:endpoint": emu.url,
      "quickbi:accessKeyId": KEY_ID,
      "quickbi:accessKeySecret": secret,
      "quickbi:securityToken": TOKEN,
      "quickbi:maxRetries": "1",
      "quickbi:timeoutMs": "300",
      ...extra,
    };
    return new QuickBIClient(await resolveSettings({ get: (k) => cfg[k] }, {}), {
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      onEvent: (e) => events.push(e),
    });
  };
  const good = await make(SECRET);
  const bad = await make(`${SECRET}-wrong`);
  const errors: unknown[] = [];

  errors.push(await rejection(ops.listOrganizationRoles(bad))); // SignatureDoesNotMatch
  errors.push(await rejection(ops.queryUserInfoByUserId(good, { userId: "0".repeat(32) }))); // business error
  emu.setFaults({ rules: [{ actions: ["DeleteUser"], failAfterApplyRate: 1, times: 1 }] });
  errors.push(await rejection(good.call("DeleteUser", { UserId: SEED.victor }, { idempotent: false }))); // outcome unknown
  emu.setFaults({ rules: [{ actions: ["ListOrganizationRoles"], slowRate: 1, slowMs: 1000 }] });
  errors.push(await rejection(ops.listOrganizationRoles(good))); // timeouts
  emu.setFaults({ rules: [{ resetRate: 1 }] });
  errors.push(await rejection(ops.listOrganizationRoles(good))); // resets
  emu.setFaults({});
  const unreachable = await make(SECRET, { "quickbi:endpoint": "http://127.0.0.1:1" });
  errors.push(await rejection(ops.listOrganizationRoles(unreachable)));

  expect(errors.map((e) => (e as { code?: string }).code)).toEqual([
    "SignatureDoesNotMatch",
    "User.Not.In.Organization",
    "ConnectionReset",
    "RequestTimeout",
    "ConnectionReset",
    "ConnectionRefused",
  ]);
  for (const e of errors) expectClean(rendered(e));
  expectClean(rendered(events));
  for (const c of [good, bad, unreachable]) expectClean(rendered(c));
  expect(events.length).toBeGreaterThan(10);
});
