/**
 * The Security & Compliance REST client (`POST {base}/adminapi/beta/{tenantId}/InvokeCommand`), the
 * undocumented endpoint the ExchangeOnlineManagement module uses (the REST calls ExchangeOnlineManagement v3 makes;
 * app-only setup: MicrosoftDocs/office-docs-powershell exchange/docs-conceptual/app-only-auth-powershell-v2.md): token
 * for the
 * compliance resource, `X-AnchorMailbox` of the tenant's system mailbox, the regional redirect, paging by
 * re-posting to `@odata.nextLink`, and the real error message unwrapped from the inner exception.
 */
import { GraphRequestError } from "../errors";
import { complianceRefusal } from "./consent-hint";
import { errorInitFromResponse, isAmbiguous, isTransport } from "./failure";
import type { Reply, SdkSession } from "./http";
import { budgetOf, Deadline, type Budget } from "./deadline";
import { backoffDelayMs, type ResolvedClientOptions } from "./options";
import { expectList, expectObject } from "./shape";
import type { ComplianceClient } from "./types";

/** Microsoft's default S&C root; the first call may be redirected to a regional host. */
export const DEFAULT_COMPLIANCE_BASE_URL = "https://ps.compliance.protection.outlook.com";
/** The system mailbox every tenant has; S&C routes a request by it. */
export const SYSTEM_MAILBOX_GUID = "bb558c35-97f1-4cb9-8ff7-d53741dc928c";
const MAX_REDIRECTS = 3;

/** The token scope for an S&C root: always the public compliance resource, as Microsoft issues it. */
export function complianceScope(): string {
  return `${DEFAULT_COMPLIANCE_BASE_URL}/.default`;
}

/** Where a regional redirect leads: `<region>.admin.protection.outlook.com:446` → `https://<region>.ps.compliance.protection.outlook.com`. */
export function regionalBase(location: string, configuredBase: string): string | undefined {
  let target: URL;
  try {
    target = new URL(location, configuredBase);
  } catch {
    return undefined;
  }
  if (target.protocol !== "https:") return undefined;
  const regional = /^([a-z0-9-]+)\.(?:admin|ps\.compliance)\.protection\.outlook\.com$/i.exec(target.hostname);
  if (regional) return `https://${regional[1]!.toLowerCase()}.ps.compliance.protection.outlook.com`;
  // The emulator (or any configured root) may redirect to itself on another port or path prefix.
  if (target.hostname === new URL(configuredBase).hostname)
    return target.origin + target.pathname.replace(/\/adminapi\/.*$/i, "");
  return undefined;
}

/** The real message of a failed cmdlet: details[0].message, else the inner exception, else error.message. */
export function complianceError(method: string, path: string, reply: Reply): GraphRequestError {
  const base = errorInitFromResponse(method, path, reply.status, reply.headers, reply.bytes.toString("utf8"));
  let error: Record<string, unknown> | undefined;
  try {
    error = (JSON.parse(reply.bytes.toString("utf8")) as { error?: Record<string, unknown> }).error;
  } catch {
    error = undefined;
  }
  const pick = (obj: unknown, key: string): unknown => {
    if (typeof obj !== "object" || obj === null) return undefined;
    const hit = Object.keys(obj).find((k) => k.toLowerCase() === key);
    return hit === undefined ? undefined : (obj as Record<string, unknown>)[hit];
  };
  const details = pick(error, "details");
  const detail = Array.isArray(details) ? pick(details[0], "message") : undefined;
  const inner = pick(pick(pick(error, "innererror"), "internalexception"), "message");
  let message = [detail, inner].find((m): m is string => typeof m === "string" && m.trim() !== "") ?? base.message;
  let code = base.code;
  // Exchange formats exceptions as "<id>|<Namespace.ExceptionType>|<text>".
  const typed = /^[^|]*\|([\w.]+)\|([\s\S]*)$/.exec(message);
  if (typed) {
    code = typed[1]!.split(".").pop() ?? code;
    message = typed[2]!.trim();
  }
  // A refusal's body says nothing useful (403 often comes as NUL bytes): name the missing grant instead.
  const refusal = complianceRefusal(reply.status);
  if (refusal) message = `${reply.status === 403 && error === undefined ? "access denied" : message} (${refusal.fix})`;
  return new GraphRequestError({ ...base, code, message, missingPermission: refusal?.permission });
}

/** Runs S&C cmdlets for one tenant. */
export class TenantComplianceClient implements ComplianceClient {
  private base: string;
  private readonly budget: Budget;

  constructor(
    private readonly tenantId: string,
    private readonly primaryDomain: string,
    private readonly configuredBase: string,
    private readonly sessionFor: (origin: string) => SdkSession,
    private readonly options: ResolvedClientOptions,
  ) {
    this.base = configuredBase.replace(/\/+$/, "");
    this.budget = budgetOf(options);
  }

  async invoke<T = Record<string, unknown>>(
    cmdlet: string,
    parameters: Readonly<Record<string, unknown>> = {},
  ): Promise<T[]> {
    const body = { CmdletInput: { CmdletName: cmdlet, Parameters: parameters } };
    const creates = /^New-/i.test(cmdlet);
    const deadline = new Deadline(this.tenantId, this.budget);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pages<T>(cmdlet, body, !creates, deadline);
      } catch (error) {
        if (!(error instanceof GraphRequestError)) throw error;
        const final = deadline.final(error);
        if (final) throw final;
        if (attempt > this.options.transport.retries) throw error;
        if (!creates) {
          if (!isTransport(error)) throw error;
        } else {
          if (!isAmbiguous(error) || typeof parameters["Name"] !== "string") throw error;
          // The New-* may have run before the failure: look for the object by name before running it again.
          const found = await this.lookUp<T>(cmdlet.replace(/^New-/i, "Get-"), parameters["Name"], deadline);
          if (found.length > 0) return found;
        }
        await deadline.pause(backoffDelayMs(this.options.transport, attempt), error);
      }
    }
  }

  private async lookUp<T>(getCmdlet: string, name: string, deadline: Deadline): Promise<T[]> {
    try {
      return await this.pages<T>(
        getCmdlet,
        { CmdletInput: { CmdletName: getCmdlet, Parameters: { Identity: name } } },
        true,
        deadline,
      );
    } catch (error) {
      if (error instanceof GraphRequestError && (error.status === 404 || /NotFound/i.test(error.code))) return [];
      throw error;
    }
  }

  private async pages<T>(cmdlet: string, body: unknown, idempotent: boolean, deadline: Deadline): Promise<T[]> {
    const items: T[] = [];
    let url: string | undefined = `${this.base}/adminapi/beta/${this.tenantId}/InvokeCommand`;
    while (url !== undefined) {
      const page: unknown = await this.post(url, body, idempotent, cmdlet, deadline);
      if (Array.isArray(page)) return [...items, ...(page as T[])];
      // An answer that is neither a list nor an object (or an object whose `value` is not a list) is a failure, not
      // "no objects": `check` would report every retention object missing.
      const path = `/InvokeCommand (${cmdlet})`;
      const object = expectObject(page, "POST", path);
      if ("value" in object) items.push(...expectList<T>(object, "POST", path));
      else if (Object.keys(object).some((k) => !k.startsWith("@"))) items.push(object as T);
      const next = object["@odata.nextLink"];
      url = typeof next === "string" && next.startsWith("https://") ? next : undefined;
    }
    return items;
  }

  private async post(
    url: string,
    body: unknown,
    idempotent: boolean,
    cmdlet: string,
    deadline: Deadline,
  ): Promise<unknown> {
    const path = `/InvokeCommand (${cmdlet})`;
    for (let redirects = 0; ; redirects++) {
      const origin = new URL(url).origin;
      const reply = await this.sessionFor(origin).send({
        method: "POST",
        path: url,
        body,
        contentType: "application/json; charset=utf-8",
        headers: {
          "X-AnchorMailbox": `UPN:SystemMailbox{${SYSTEM_MAILBOX_GUID}}@${this.primaryDomain}`,
          Prefer: "odata.maxpagesize=1000",
        },
        sdkRetry: idempotent ? "all" : "throttle",
        followRedirects: false,
        limits: deadline.limits(),
      });
      if (reply.status >= 300 && reply.status < 400) {
        const location = reply.headers.get("location");
        const regional = location ? regionalBase(location, this.configuredBase) : undefined;
        if (!regional || redirects >= MAX_REDIRECTS) {
          throw new GraphRequestError({
            status: reply.status,
            code: "UntrustedRedirect",
            message: `S&C redirected to ${location ?? "(no Location)"}, which is not a Security & Compliance host`,
            method: "POST",
            path,
          });
        }
        // Remember the tenant's region: later calls go there directly.
        if (url.startsWith(this.base)) url = regional + url.slice(this.base.length);
        else url = regional + new URL(url).pathname + new URL(url).search;
        this.base = regional;
        continue;
      }
      if (reply.status < 200 || reply.status >= 300) throw complianceError("POST", path, reply);
      const text = reply.bytes.toString("utf8").trim();
      if (!text) return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new GraphRequestError({
          status: reply.status,
          code: "InvalidResponseBody",
          message: `the response is not JSON: ${text.slice(0, 120)}`,
          method: "POST",
          path,
        });
      }
    }
  }
}
