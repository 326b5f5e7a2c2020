// Secret property values at rest. Like Pulumi's passphrase secrets provider, a secret in the state file is a
// ciphertext object ({SIG_KEY: SECRET_SIG, ciphertext}) under a key derived from a passphrase and a per-state salt,
// so values never appear in plaintext in the file. An empty passphrase is allowed (as in Pulumi): it keeps values out
// of sight, not away from someone holding the file.
import * as crypto from "node:crypto";
import { PropertyMap } from "./host";
import { SECRET_SIG, SIG_KEY } from "./program";

export class SecretsCrypter {
  private readonly key: Buffer;
  constructor(passphrase: string, salt: string) {
    this.key = crypto.scryptSync(passphrase, Buffer.from(salt, "base64"), 32);
  }

  static newSalt(): string {
    return crypto.randomBytes(16).toString("base64");
  }

  encrypt(value: unknown): { [SIG_KEY]: string; ciphertext: string } {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value ?? null), "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return {
      [SIG_KEY]: SECRET_SIG,
      ciphertext: `v1:${iv.toString("base64")}:${tag.toString("base64")}:${data.toString("base64")}`,
    };
  }

  decrypt(ciphertext: string): unknown {
    const [v, iv, tag, data] = ciphertext.split(":");
    if (v !== "v1" || !iv || !tag || data === undefined) throw new Error("malformed secret in state");
    const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
      return JSON.parse(plain) as unknown;
    } catch {
      throw new Error("cannot decrypt a secret in the state file: wrong secrets passphrase?");
    }
  }

  /** Encrypts the values of `secretKeys` (top-level); other values are kept as they are. */
  seal(map: PropertyMap, secretKeys: Iterable<string>): PropertyMap {
    const keys = new Set(secretKeys);
    const out: PropertyMap = {};
    for (const [k, v] of Object.entries(map)) out[k] = keys.has(k) && v !== undefined ? this.encrypt(v) : v;
    return out;
  }

  /** Decrypts every sealed top-level value; returns the plain map and which keys were secret. */
  open(map: PropertyMap): { plain: PropertyMap; secretKeys: string[] } {
    const plain: PropertyMap = {};
    const secretKeys: string[] = [];
    for (const [k, v] of Object.entries(map)) {
      if (isSealed(v)) {
        plain[k] = this.decrypt(v.ciphertext);
        secretKeys.push(k);
      } else {
        plain[k] = v;
      }
    }
    return { plain, secretKeys };
  }
}

export function isSealed(v: unknown): v is { ciphertext: string } {
  return (
    v !== null &&
    typeof v === "object" &&
    (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG &&
    typeof (v as Record<string, unknown>).ciphertext === "string"
  );
}

/** For reports and logs: replaces secret values with "[secret]". */
export function redact(map: PropertyMap, secretKeys: Iterable<string>): PropertyMap {
  const keys = new Set(secretKeys);
  const out: PropertyMap = {};
  for (const [k, v] of Object.entries(map)) out[k] = keys.has(k) || isSealed(v) ? "[secret]" : v;
  return out;
}
