import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../engine/host";
import { runProgram, SECRET_SIG, SIG_KEY } from "../../engine/program";
import { Fixture } from "./fixtures/fileProvider";

const T = "pulumi-nodejs:dynamic/fixture:Fixture";

test("collects urn, type, the serialized __provider, dependencies and options of every registration", async () => {
  const run = await runProgram(
    async () => {
      const a = new Fixture("a", { key: "ka", value: "v" }, { protect: true });
      const b = new Fixture(
        "b",
        { key: "kb", value: "v", ref: a.computed },
        { deleteBeforeReplace: true, additionalSecretOutputs: ["computed"] },
      );
      new Fixture("c", { key: "kc", value: "v" }, { dependsOn: [b] });
    },
    {
      project: "proj",
      stack: "dev",
      onRegister: async (r) => ({ id: `${r.name}-id`, outputs: { ...r.inputs, computed: `c-${r.name}` } }),
    },
  );
  expect(run.errors).toEqual([]);
  expect(run.registrations.map((r) => [r.type, r.name, r.custom])).toEqual([
    ["pulumi:pulumi:Stack", "proj-dev", false],
    [T, "a", true],
    [T, "b", true],
    [T, "c", true],
  ]);
  const [stack, a, b, c] = run.registrations;
  expect(run.stackUrn).toBe("urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev");
  expect(a.urn).toBe(`urn:pulumi:dev::proj::${T}::a`);
  expect(a.parent).toBe(stack.urn);
  expect(typeof a.inputs.__provider).toBe("string");
  expect(a.inputs.__provider).toContain("exports.handler");
  expect(a.options.protect).toBe(true);
  expect(a.options.deleteBeforeReplace).toBeUndefined();
  expect(b.options).toMatchObject({ deleteBeforeReplace: true, additionalSecretOutputs: ["computed"] });
  expect(b.inputs.ref).toBe("c-a");
  expect(b.dependencies).toEqual([a.urn]);
  expect(b.propertyDependencies.ref).toEqual([a.urn]);
  expect(c.dependencies).toEqual([b.urn]);
});

test("stack config arrives as PULUMI_CONFIG would bring it; secret config stays secret into inputs and outputs", async () => {
  let endpoint: string | undefined;
  const run = await runProgram(
    async () => {
      const cfg = new pulumi.Config("quickbi");
      endpoint = cfg.require("endpoint");
      const r = new Fixture("s", {
        key: "ks",
        value: cfg.require("endpoint"),
        secretNote: cfg.requireSecret("accessKeySecret"),
      });
      return { note: r.secretNote, key: r.key };
    },
    {
      config: { "quickbi:endpoint": "127.0.0.1:1", "quickbi:accessKeySecret": "shh" },
      secretKeys: ["quickbi:accessKeySecret"],
    },
  );
  expect(run.errors).toEqual([]);
  expect(endpoint).toBe("127.0.0.1:1");
  const s = run.registrations.find((r) => r.name === "s")!;
  expect(s.inputs.secretNote).toBe("shh");
  expect(s.secretInputs).toEqual(["secretNote"]);
  expect(s.rawInputs.secretNote).toEqual({ [SIG_KEY]: SECRET_SIG, value: "shh" });
  // the default handler echoes inputs as outputs and keeps secret inputs secret, like the engine
  expect(run.stackOutputs).toEqual({ note: "shh", key: "ks" });
  expect(run.secretStackOutputs).toEqual(["note"]);
});

test("in a preview, outputs the handler leaves out reach dependents as the unknown sentinel", async () => {
  const run = await runProgram(
    async () => {
      const a = new Fixture("a", { key: "ka", value: "v" });
      new Fixture("b", { key: "kb", value: "v", ref: a.computed });
      return { a: a.computed };
    },
    { preview: true, onRegister: async () => ({ outputs: {} }) },
  );
  expect(run.registrations.find((r) => r.name === "b")!.inputs.ref).toBe(UNKNOWN);
  expect(run.stackOutputs.a).toBe(UNKNOWN);
});

test("a refused registration does not crash the program: it is reported and its outputs become unknown", async () => {
  let applied = false;
  const run = await runProgram(
    async () => {
      const a = new Fixture("bad", { key: "kbad", value: "v" });
      a.computed.apply(() => (applied = true));
      new Fixture("after", { key: "kafter", value: "v", ref: a.computed });
    },
    {
      onRegister: async (r) => {
        if (r.name === "bad") throw new Error("refused by test");
        return { id: "x", outputs: r.inputs };
      },
    },
  );
  expect(run.errors).toEqual([]);
  expect(run.registrationErrors.map((e) => [e.urn.split("::").pop(), e.error.message])).toEqual([
    ["bad", "refused by test"],
  ]);
  expect(applied).toBe(false);
  expect(run.registrations.find((r) => r.name === "after")!.inputs.ref).toBe(UNKNOWN);
});

test("a program that throws is reported, with what it registered before", async () => {
  const run = await runProgram(async () => {
    new Fixture("first", { key: "k1", value: "v" });
    throw new Error("program bug");
  });
  expect(run.errors.map((e) => e.message)).toEqual(["program bug"]);
  expect(run.registrations.map((r) => r.name)).toContain("first");
});

test("an apply that throws becomes a program error (the SDK leaves it unhandled on purpose), not a crash", async () => {
  const run = await runProgram(async () => {
    const bad = pulumi.output("x").apply((): string => {
      throw new Error("apply bug");
    });
    new Fixture("z", { key: bad, value: "v" });
    new Fixture("fine", { key: "kf", value: "v" });
  });
  expect(run.errors.map((e) => e.message).join("\n")).toContain("apply bug");
  expect(run.registrations.map((r) => r.name)).toContain("fine");
  expect(run.registrations.map((r) => r.name)).not.toContain("z");
});

test("concurrent runs are serialized: the SDK's runtime state is process-global", async () => {
  const [one, two] = await Promise.all([
    runProgram(async () => {
      new Fixture("one", { key: "k1", value: "v" });
    }),
    runProgram(async () => {
      new Fixture("two", { key: "k2", value: "v" });
    }),
  ]);
  expect(one.registrations.filter((r) => r.custom).map((r) => r.name)).toEqual(["one"]);
  expect(two.registrations.filter((r) => r.custom).map((r) => r.name)).toEqual(["two"]);
});

describe("a program given as a module runs in a process of its own, as a language host does", () => {
  const fixture = require.resolve("./fixtures/moduleProgram.js");

  test("registrations reach the handler with their dependencies, answers reach dependents, outputs come back", async () => {
    const seen: string[] = [];
    const run = await runProgram(
      { module: fixture, exportName: "pair", args: ["m", "shh"] },
      {
        project: "proj",
        stack: "dev",
        onRegister: async (r) => {
          seen.push(r.name);
          return { id: `${r.name}-id`, outputs: { ...r.inputs, computed: `from-${r.name}` } };
        },
      },
    );
    expect(run.errors).toEqual([]);
    expect(seen).toEqual(["m-a", "m-b"]);
    const b = run.registrations.find((r) => r.name === "m-b")!;
    expect(b.urn).toBe("urn:pulumi:dev::proj::test:index:Thing::m-b");
    expect(b.inputs.value).toBe("from-m-a");
    expect(b.dependencies).toEqual(["urn:pulumi:dev::proj::test:index:Thing::m-a"]);
    expect(run.stackOutputs).toMatchObject({ fromB: "from-m-b", note: "shh" });
    expect(run.secretStackOutputs).toEqual(["note"]);
    // It really ran elsewhere.
    expect(run.stackOutputs.pid).not.toBe(process.pid);
  });

  test("a refused registration is reported and its dependents see unknowns, as in-process", async () => {
    const run = await runProgram(
      { module: fixture, exportName: "pair", args: ["r", "x"] },
      {
        onRegister: async (r) => {
          if (r.name === "r-a") throw new Error("refused by test");
          return { id: "x", outputs: r.inputs };
        },
      },
    );
    expect(run.registrationErrors.map((e) => [e.urn.split("::").pop(), e.error.message])).toEqual([
      ["r-a", "refused by test"],
    ]);
    expect(run.registrations.find((r) => r.name === "r-b")!.inputs.value).toBe(UNKNOWN);
  });

  test("a program that throws, or an export that is not a function, is a program error", async () => {
    const failed = await runProgram({ module: fixture, exportName: "fails" });
    expect(failed.errors.map((e) => e.message)).toEqual(["module program bug"]);
    expect(failed.registrations.map((r) => r.name)).toContain("before");
    const wrong = await runProgram({ module: fixture, exportName: "notAFunction" });
    expect(wrong.errors.map((e) => e.message)).toEqual([`${fixture} has no function export named "notAFunction"`]);
  });
});
