/**
 * Lint for the whole tree, with the architecture's import rules (docs/ARCHITECTURE.md):
 * - provider/ has one direction of imports: resources (program side) and lookups (program side) → runtime (host
 *   entry) → handlers → report, batching → service → api; contract/ is shared by both sides and imports nothing;
 * - emulator/model is Quick BI without HTTP: it never imports emulator/http;
 * - what ships (provider/, emulator/) never imports the tooling (engine/, demo/, bench/, realengine/, scripts/);
 * - no import cycles anywhere.
 * Formatting is Prettier's (.prettierrc.json); eslint-config-prettier turns off the rules it owns.
 */
"use strict";
const tseslint = require("typescript-eslint");
const importX = require("eslint-plugin-import-x");
const prettier = require("eslint-config-prettier");

/** The parts of provider/ (folders and the host-side files at its root). */
const PROVIDER_PARTS = [
  "contract",
  "api",
  "service",
  "batching",
  "report",
  "handlers",
  "resources",
  "lookups",
  "runtime.ts",
  "trace.ts",
  "index.ts",
];
/** What each layer of provider/ may import from the others; every other part is refused. */
const MAY_IMPORT = {
  contract: [],
  api: ["contract"],
  service: ["contract", "api"],
  batching: ["contract", "api", "service"],
  report: ["contract", "api"],
  handlers: ["contract", "api", "service", "batching", "report"],
  // Program side: what a user's program loads. It reaches the host only through the contract.
  resources: ["contract"],
  lookups: ["contract", "api"],
};
/** A layer may not import from these folders (paths from the repository root). */
const LAYERS = {
  ...Object.fromEntries(
    Object.entries(MAY_IMPORT).map(([layer, allowed]) => [
      `provider/${layer}`,
      PROVIDER_PARTS.filter((p) => p !== layer && !allowed.includes(p)).map((p) => `provider/${p}`),
    ]),
  ),
  "emulator/model": ["emulator/http", "emulator/cli.ts", "emulator/index.ts"],
};
const TOOLING = ["engine", "demo", "bench", "realengine", "scripts"];

const zones = [
  ...Object.entries(LAYERS).flatMap(([target, from]) =>
    from.map((f) => ({
      target: `./${target}`,
      from: `./${f}`,
      message: `${target} may not import ${f} (docs/ARCHITECTURE.md, "Layers")`,
    })),
  ),
  ...["provider", "emulator"].flatMap((shipped) =>
    TOOLING.map((t) => ({
      target: `./${shipped}`,
      from: `./${t}`,
      message: `${shipped}/ ships in the package; ${t}/ does not`,
    })),
  ),
];

module.exports = tseslint.config(
  { ignores: ["bin/**", "node_modules/**", ".cache/**", "coverage/**", "**/*.d.ts"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver": { node: { extensions: [".ts", ".js", ".json"] } } },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones }],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // `require()` is how the provider host loads code lazily (credentials chain, gRPC stubs) and how CommonJS
      // programs are written; type-only imports keep the rest honest.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // Plain CommonJS scripts and fixtures.
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        console: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
