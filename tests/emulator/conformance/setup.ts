import { RESULT_SCHEMAS, type ActionName, type ResultOf } from "../../../emulator/http/results";
import type { SeedInput } from "../../../emulator/model/seed";
import { fixtureSeed } from "../model/fixture";
import {
  apiError,
  startTestEmulator,
  type ApiErrorShape,
  type CallFn,
  type TestEmulator,
  type WireValue,
} from "../helpers";

export const OWNER_KEY = { accessKeyId: "LTAIconformanceOwner", accessKeySecret: "owner-secret" };
/** A key acting as a plain developer: the caller checks. */
export const DEV_KEY = {
  accessKeyId: "LTAIconformanceDev",
  accessKeySecret: "dev-secret",
  userId: "0000000000000000000000000000000c",
};

export function conformanceSeed(): SeedInput {
  return { ...fixtureSeed(), accessKeys: [OWNER_KEY, DEV_KEY] };
}

/** One emulator per test file, reset to the fixture before each test; clients for both signature versions. */
export class Conformance {
  emu!: TestEmulator;
  v3!: CallFn;
  v2!: CallFn;

  install(): void {
    beforeAll(async () => {
      this.emu = await startTestEmulator(conformanceSeed(), { randomSeed: 5 });
      this.v3 = this.emu.client();
      this.v2 = this.emu.client({ signature: "v2" });
    });
    beforeEach(() => this.emu.reset(conformanceSeed()));
    afterAll(async () => {
      await this.emu?.stop();
    });
  }

  client(sig: "v3" | "v2"): CallFn {
    return sig === "v2" ? this.v2 : this.v3;
  }

  /** Calls `action`, checks the success envelope and parses `Result` with the action's documented schema. */
  async ok<A extends ActionName>(
    sig: "v3" | "v2",
    action: A,
    query: Record<string, WireValue | undefined> = {},
    options: { method?: "GET" | "POST"; body?: Record<string, WireValue> } = {},
  ): Promise<ResultOf<A>> {
    const body = await this.client(sig)(action, query, options);
    expect(body.Success).toBe(true);
    expect(body.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    return RESULT_SCHEMAS[action].parse(body.Result) as ResultOf<A>;
  }

  async fails(
    sig: "v3" | "v2",
    action: string,
    query: Record<string, WireValue | undefined> = {},
    options: { method?: "GET" | "POST"; body?: Record<string, WireValue> } = {},
    client?: CallFn,
  ): Promise<ApiErrorShape> {
    return apiError((client ?? this.client(sig))(action, query, options));
  }
}
