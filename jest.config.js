/**
 * Two kinds of projects: "default" runs every test against the emulator's default readings of the Quick BI pages;
 * each "quirk:<name>" project runs the end-to-end suites that matter once more with that emulator quirk in force
 * (emulator/README.md, "What the pages leave open"), so the provider is shown to converge under both readings.
 * `npx jest <path> --selectProjects default` runs a suite once, without the matrix.
 */
const QUIRK_MATRIX_QUIRKS = [
  "batch-errors-whole-request",
  "batch-all-failed-success-true",
  "failure-detail-literal-key",
  "failure-detail-as-string",
  "errors-http-500",
  "string-booleans",
  "legacy-accountname",
];

/** Membership lifecycle, partial batches, adopt, role changes, and the fault matrix. */
const QUIRK_MATRIX_SUITES = [
  "<rootDir>/tests/e2e/workspaceMembership.test.ts",
  "<rootDir>/tests/e2e/groupMembership.test.ts",
  "<rootDir>/tests/reliability/faultMatrix.test.ts",
];

/** @type {import('jest').Config} */
const base = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, tsconfig: "tsconfig.test.json" }] },
  moduleNameMapper: {
    "^pulumi-quickbi$": "<rootDir>/provider/index.ts",
    "^pulumi-quickbi/emulator$": "<rootDir>/emulator/index.ts",
  },
};

/** @type {import('jest').Config} */
module.exports = {
  // istanbul counters would be captured by pulumi's function serialization; v8 coverage is not.
  coverageProvider: "v8",
  testTimeout: 120000,
  maxWorkers: 2,
  projects: [
    { ...base, displayName: "default" },
    ...QUIRK_MATRIX_QUIRKS.map((quirk) => ({
      ...base,
      displayName: `quirk:${quirk}`,
      testMatch: QUIRK_MATRIX_SUITES,
      globals: { QUICKBI_EMULATOR_QUIRKS: quirk },
    })),
  ],
};
