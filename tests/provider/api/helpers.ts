/** Starts the real emulator and builds a real QuickBIClient against it, the way the provider host does. */
import { DEMO_ACCESS_KEY, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../../emulator";
import { QuickBIClient, type ClientEvent, type QuickBIClientOptions } from "../../../provider/api/client";
import { resolveSettings } from "../../../provider/api/settings";

export { DEMO_ACCESS_KEY };

export async function startApiEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ host: "127.0.0.1", port: 0, randomSeed: 7, ...options });
}

export interface TestClientOptions extends QuickBIClientOptions {
  readonly config?: Record<string, string>;
}

/** Fast retries (ms, not seconds) so fault tests stay quick; everything else as in production. */
export async function clientFor(emu: RunningEmulator, options: TestClientOptions = {}): Promise<QuickBIClient> {
  const config: Record<string, string> = {
    "quickbi:endpoint": emu.url,
    "quickbi:accessKeyId": DEMO_ACCESS_KEY.accessKeyId,
    "quickbi:accessKeySecret": DEMO_ACCESS_KEY.accessKeySecret,
    "quickbi:maxQps": "1000",
    "quickbi:timeoutMs": "3000",
    ...options.config,
  };
  const settings = await resolveSettings({ get: (k) => config[k] }, {});
  return new QuickBIClient(settings, { retry: { baseDelayMs: 2, maxDelayMs: 20 }, ...options });
}

export function recordEvents(): { events: ClientEvent[]; onEvent: (e: ClientEvent) => void } {
  const events: ClientEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}

export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    const v = await p;
    throw new Error(`expected a rejection, got ${JSON.stringify(v)}`);
  } catch (e) {
    return e;
  }
}

export const SEED = {
  owner: "a1f0c2d3e4b5468796a0b1c2d3e4f501",
  dana: "c3d2e4f5a6b7480918c2d3e4f5a6b703",
  diego: "d4c3f5a6b7c8491a29d3e4f5a6b7c804",
  fatima: "e5b4a6b7c8d94a2b3ae4f5a6b7c8d905",
  anna: "f6a5b7c8d9ea4b3c4bf5a6b7c8d9ea06",
  arjun: "a7b6c8d9eafb4c4d5ca6b7c8d9eafb07",
  victor: "b8c7d9eafb0c4d5e6db7c8d9eafb0c08",
  sales: "5f3e2c1a-8b7d-4e6f-9a0b-1c2d3e4f5a01",
  finance: "6a4f3d2b-9c8e-4f70-8b1c-2d3e4f5a6b02",
  sandbox: "7b5a4e3c-0d9f-4a81-9c2d-3e4f5a6b7c03",
  engineering: "8c6b5f4d-1e0a-4b92-8d3e-4f5a6b7c8d01",
  dataPlatform: "9d7c6a5e-2f1b-4ca3-9e4f-5a6b7c8d9e02",
  business: "ae8d7b6f-3a2c-4db4-8f5a-6b7c8d9eaf03",
} as const;
