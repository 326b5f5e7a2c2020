/**
 * The sum of request bodies held at once is bounded, not only each body (issue 16, item 11): while one large body is
 * still arriving, another that would take the total past the bound is answered 503 ServiceUnavailable (a transient
 * answer clients retry), and the bound is given back once the first request is done.
 */
import { request } from "node:http";
import { defaultSeed, SeedSchema } from "../../../emulator";
import { actions } from "../../../emulator/http/responses";
import { EmulatorServer } from "../../../emulator/http/server";
import { Organization } from "../../../emulator/model/organization";
import { send } from "./wire";

const MiB = 1024 * 1024;
/** Whole bytes: a Content-Length must be an integer. */
const mib = (n: number) => Math.round(n * MiB);

let server: EmulatorServer<Organization>;
let url: string;

beforeAll(async () => {
  server = new EmulatorServer({
    model: { fromSeed: (s) => Organization.fromSeed(s), actions },
    seed: SeedSchema.parse(defaultSeed()),
    maxBodyBytes: 2 * MiB,
    maxBodyBytesInFlight: 3 * MiB,
  });
  ({ url } = await server.listen(0, "127.0.0.1"));
});
afterAll(async () => {
  await server.close();
});

const post = (bytes: number) =>
  send(url, {
    method: "POST",
    path: "/",
    headers: { host: new URL(url).host, "content-type": "application/x-www-form-urlencoded" },
    body: Buffer.alloc(bytes, "a"),
  });

it("a body that would take the sum past the bound is refused while another is arriving; accepted again after", async () => {
  // A: 1.8 MiB announced, 1.5 MiB sent, the rest held back.
  const target = new URL(url);
  const slow = request({
    host: target.hostname,
    port: target.port,
    method: "POST",
    path: "/",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(mib(1.8)),
      connection: "close",
    },
  });
  const slowAnswer = new Promise<number>((resolve, reject) => {
    slow.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    slow.on("error", reject);
  });
  slow.write(Buffer.alloc(mib(1.5), "a"));

  // B (1.6 MiB, fine on its own) waits until the server holds A's bytes, then gets 503.
  let refused: { status: number; code: unknown } | undefined;
  for (let i = 0; i < 200 && refused === undefined; i++) {
    const res = await post(mib(1.6));
    if (res.status === 503) refused = { status: res.status, code: res.json.Code };
    else await new Promise((r) => setTimeout(r, 10));
  }
  expect(refused).toEqual({ status: 503, code: "ServiceUnavailable" });

  slow.end(Buffer.alloc(mib(0.3), "a"));
  // A itself is processed normally (unsigned and without an action: MissingParameter 400).
  expect(await slowAnswer).toBe(400);
  // A's share came back: B fits now.
  expect((await post(mib(1.6))).status).toBe(400);
});

it("each body is still bounded on its own (413)", async () => {
  const res = await post(2 * MiB + 1);
  expect([res.status, res.json.Code]).toEqual([413, "RequestEntityTooLarge"]);
});
