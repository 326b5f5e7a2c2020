/**
 * Inputs a resource of this package registers besides its arguments. The dynamic-provider host does not tell a
 * provider which resource a call is about, nor which inputs the program marked secret, so the program side passes both
 * along. Both sides (program and provider host) import these names; they are part of every stack's state, so they are
 * only ever extended.
 */

/** The resource's URN, as the engine will give it (names it in the access report, keys ownership claims). */
export const URN_KEY = "__urn";

/** One hidden key of a property bag as the host handed it over (anything, or nothing when it is not a bag). */
export function hiddenValue(props: unknown, key: string): unknown {
  return props !== null && typeof props === "object" ? (props as Record<string, unknown>)[key] : undefined;
}

/** The URN a property bag carries, if it is one of this package's. */
export function urnOf(props: unknown): string | undefined {
  const v = hiddenValue(props, URN_KEY);
  return typeof v === "string" ? v : undefined;
}

/** Names of the inputs the program marked secret; the provider host redacts their values in messages and reports. */
export const SECRETS_KEY = "__secrets";

/**
 * Output of a membership: its users whose nickname the program made secret. A delete (destroy) runs before the
 * QuickBIUser's own calls, so the membership must remember not to name them.
 */
export const SECRET_USERS_KEY = "__secretUsers";

/** Keys the host adds to every property bag (`__provider`) or this package adds (above): never user input. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__provider", URN_KEY, SECRETS_KEY, SECRET_USERS_KEY]);
