/**
 * During a preview, inputs that depend on not-yet-created resources reach the provider as this sentinel string
 * (Pulumi's `rpc.unknownValue`). check and diff must accept it: the value is only known during `up`.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True for the sentinel itself or any array/object holding it somewhere inside. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}
