/** Pulumi's checkpoint format for an encrypted secret: `{"4dabf18193072939515e22adb298388d": SECRET_SIG, ciphertext}`. */
import { SECRET_SIG, SIG_KEY } from "../engine/program";

export function isSecretCiphertext(v: unknown): boolean {
  return v !== null && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}
