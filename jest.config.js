/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true, tsconfig: "tsconfig.test.json" }] },
  moduleNameMapper: {
    "^pulumi-quickbi$": "<rootDir>/provider/index.ts",
    "^pulumi-quickbi/emulator$": "<rootDir>/emulator/index.ts",
  },
  // istanbul counters would be captured by pulumi's function serialization; v8 coverage is not.
  coverageProvider: "v8",
  testTimeout: 120000,
  maxWorkers: 2,
};
