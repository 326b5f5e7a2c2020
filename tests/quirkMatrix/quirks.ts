/**
 * The emulator quirks the running jest project tests under. jest.config.js runs the end-to-end suites that matter once
 * per quirk (one project each, the name in `globals.QUICKBI_EMULATOR_QUIRKS`); `QUICKBI_EMULATOR_QUIRKS=a,b npx jest
 * tests/e2e/...` does the same by hand. The shared emulator starters pass these to `startEmulator({quirks})`.
 */
export function quirksUnderTest(): string[] {
  const fromProject = (globalThis as { QUICKBI_EMULATOR_QUIRKS?: unknown }).QUICKBI_EMULATOR_QUIRKS;
  const raw = typeof fromProject === "string" ? fromProject : (process.env.QUICKBI_EMULATOR_QUIRKS ?? "");
  return raw
    .split(",")
    .map((q) => q.trim())
    .filter((q) => q !== "");
}

/** True when the quirk is in force: for the few assertions whose expected wire traffic it changes by design. */
export function underQuirk(name: string): boolean {
  return quirksUnderTest().includes(name);
}
