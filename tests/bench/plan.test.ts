/** Which runs `npm run bench` and `npm run bench -- --quick` make. */
import { plan } from "../../bench/plan";
import { cells, matrix, remaining, rotation } from "../../bench/run";

const count = (keys: ReturnType<typeof matrix>, f: (k: ReturnType<typeof matrix>[number]) => string) =>
  keys.reduce<Record<string, number>>((acc, k) => ({ ...acc, [f(k)]: (acc[f(k)] ?? 0) + 1 }), {});

test("the full run: 1000 users first, both engines up to 1000, 5000 on the offline driver only, the list form on the CLI", () => {
  const keys = matrix(plan({}, { cliDir: "/cli" }));
  expect(keys[0]).toEqual({ users: 1000, scenario: "one-user", engine: "cli", parallelism: "default", mode: "null" });
  expect(count(keys, (k) => `${k.users} ${k.scenario} ${k.engine}`)).toEqual({
    "1000 one-user cli": 6,
    "1000 one-user driver": 6,
    "1000 access cli": 6,
    "1000 access driver": 6,
    "1000 one-user-lists cli": 6,
    "200 one-user cli": 6,
    "200 one-user driver": 6,
    "200 access cli": 6,
    "200 access driver": 6,
    "200 one-user-lists cli": 6,
    "5000 one-user driver": 6,
    "5000 access driver": 6,
  });
  // Every (scenario, size, engine) has the floor, the baseline and coalesced at both parallelism settings.
  expect(count(keys, (k) => `${k.parallelism} ${k.mode}`)).toEqual(
    Object.fromEntries(
      ["default", "unbounded"].flatMap((p) => ["null", "baseline", "coalesced"].map((m) => [`${p} ${m}`, 12])),
    ),
  );
});

test("--quick: one engine, the CLI when there is one, both scenarios at 30 users, floor and coalesced", () => {
  const withCli = matrix(plan({ quick: true }, { cliDir: "/cli" }));
  expect(new Set(withCli.map((k) => `${k.engine} ${k.users} ${k.mode}`))).toEqual(
    new Set(["cli 30 null", "cli 30 coalesced"]),
  );
  expect(withCli).toHaveLength(2 * 2 * 2);
  expect(new Set(matrix(plan({ quick: true }, { cliDir: undefined })).map((k) => k.engine))).toEqual(
    new Set(["driver"]),
  );
  expect(() => plan({ engines: ["cli"] }, { cliDir: undefined })).toThrow(/npm run pulumi-cli/);
  expect(() => plan({ modes: ["fast"] }, { cliDir: "/cli" })).toThrow(/--modes: "fast"/);
});

test("runs that differ only in mode form a cell; their phases interleave in an order rotated from phase to phase", () => {
  const keys = matrix(plan({ sizes: [10], scenarios: ["one-user"], engines: ["driver"] }, { cliDir: undefined }));
  expect(cells(keys).map((c) => c.map((k) => `${k.parallelism} ${k.mode}`))).toEqual([
    ["default null", "default baseline", "default coalesced"],
    ["unbounded null", "unbounded baseline", "unbounded coalesced"],
  ]);
  expect([0, 1, 2, 3].map((i) => rotation(["null", "baseline", "coalesced"], i).join(" "))).toEqual([
    "null baseline coalesced",
    "baseline coalesced null",
    "coalesced null baseline",
    "null baseline coalesced",
  ]);
});

test("--resume runs only what the results file does not hold yet", () => {
  const keys = matrix(plan({ sizes: [10], scenarios: ["one-user"], engines: ["driver"] }, { cliDir: undefined }));
  const done = keys.filter((k) => k.parallelism === "default");
  expect(remaining(keys, done).map((k) => `${k.parallelism} ${k.mode}`)).toEqual([
    "unbounded null",
    "unbounded baseline",
    "unbounded coalesced",
  ]);
  expect(remaining(keys, keys)).toEqual([]);
});
