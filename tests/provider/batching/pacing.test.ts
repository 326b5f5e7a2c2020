/** Adaptive pacing of the shared limiter: slower on Throttling*, back towards the configured rate on success. */
import {
  currentSpacingMs,
  resetSharedLimiters,
  sharedLimiter,
  slowDown,
  speedUp,
} from "../../../provider/api/rateLimiter";

afterEach(() => resetSharedLimiters());

test("throttling widens the spacing 1.5x (once per second of throttled answers), capped at 8x; successes narrow it back to the configured rate", () => {
  const l = sharedLimiter("pacing.example:1", "AK1", 100);
  expect(currentSpacingMs(l)).toBe(10);
  slowDown(l, 1_000_000);
  expect(currentSpacingMs(l)).toBe(15);
  // A burst of throttled answers within a second is one signal.
  slowDown(l, 1_000_500);
  expect(currentSpacingMs(l)).toBe(15);
  for (let i = 1; i <= 20; i++) slowDown(l, 1_000_000 + i * 1000);
  expect(currentSpacingMs(l)).toBe(80);
  for (let i = 0; i < 20 * 200; i++) speedUp(l);
  expect(currentSpacingMs(l)).toBe(10);
});

test("a throttle resets the success streak; a new client on the same key keeps the learned pace", () => {
  const l = sharedLimiter("pacing.example:2", "AK1", 100);
  slowDown(l, 1_000_000);
  for (let i = 0; i < 19; i++) speedUp(l);
  slowDown(l, 1_002_000);
  for (let i = 0; i < 19; i++) speedUp(l);
  expect(currentSpacingMs(l)).toBe(23);
  expect(sharedLimiter("pacing.example:2", "AK1", 100)).toBe(l);
  expect(currentSpacingMs(l)).toBe(23);
  // A changed quickbi:maxQps starts afresh.
  sharedLimiter("pacing.example:2", "AK1", 50);
  expect(currentSpacingMs(l)).toBe(20);
});
