/**
 * Certificate thumbprints as Entra shows them: the SHA-1 of the DER, 40 upper-case hex digits. A keyCredential's
 * `customKeyIdentifier` "defaults to the thumbprint of the certificate" (learn.microsoft.com/graph/api/resources/
 * keycredential); Graph writes that Binary property as base64, some tools as hex — both read back the same.
 */
import { X509Certificate } from "node:crypto";

/** The SHA-1 thumbprint of a PEM or DER certificate, or undefined when the bytes are not one. */
export function certificateThumbprint(bytes: Buffer): string | undefined {
  try {
    return new X509Certificate(bytes).fingerprint.replace(/:/g, "").toUpperCase();
  } catch {
    return undefined;
  }
}

/** The thumbprint a keyCredential's customKeyIdentifier holds (base64 of the 20 bytes, or 40 hex digits). */
export function keyIdentifierThumbprint(customKeyIdentifier: unknown): string | undefined {
  if (typeof customKeyIdentifier !== "string" || customKeyIdentifier === "") return undefined;
  if (/^[0-9a-f]{40}$/i.test(customKeyIdentifier)) return customKeyIdentifier.toUpperCase();
  const bytes = Buffer.from(customKeyIdentifier, "base64");
  return bytes.length === 20 ? bytes.toString("hex").toUpperCase() : customKeyIdentifier;
}
