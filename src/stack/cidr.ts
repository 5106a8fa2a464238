/**
 * CIDR ranges as Graph's ipNamedLocation takes them (`iPv4CidrRange` / `iPv6CidrRange` cidrAddress,
 * https://learn.microsoft.com/graph/api/resources/ipnamedlocation): an address, a slash and a prefix length.
 */
import { isIPv4, isIPv6 } from "node:net";

/** Why `value` is not a CIDR range (address and prefix), or undefined when it is one. */
export function cidrProblem(value: string): string | undefined {
  const slash = value.indexOf("/");
  if (slash < 0) return `'${value}' has no prefix length (e.g. /24)`;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  const v6 = address.includes(":");
  // A zone id (fe80::1%eth0) names an interface, not a range; a leading zero (010) reads as octal to some parsers.
  const valid = v6
    ? isIPv6(address) && !address.includes("%")
    : isIPv4(address) && !address.split(".").some((o) => o.length > 1 && o.startsWith("0"));
  if (!valid) return `'${address}' is not an IPv${v6 ? "6" : "4"} address`;
  const max = v6 ? 128 : 32;
  if (!/^(0|[1-9]\d{0,2})$/.test(prefix) || Number(prefix) > max)
    return `'/${prefix}' is not a prefix length from 0 to ${max}`;
  return undefined;
}
