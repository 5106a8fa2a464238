/**
 * The project's three error types. Every message says what went wrong, where, and how to fix it.
 * The CLI maps them to exit codes: ValidationError → 1 with each issue on its own line,
 * GraphRequestError → 1 with status/code/request-id, InternalError → 1 with a request to report it.
 */

/** One problem in a user-supplied file: the file, the key path inside it, what is wrong and the fix. */
export interface Issue {
  /** Path relative to the repository root, e.g. `stacks/Pulumi.contoso.yaml`. */
  readonly file: string;
  /** Dotted key path inside the file, e.g. `m365-baseline:branding.bannerLogo`; empty for the whole file. */
  readonly path: string;
  /** What is wrong, including the value received when it helps. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** 1-based line in the file, when the problem has a position (YAML syntax errors). */
  readonly line?: number | undefined;
  /** 1-based column on that line. */
  readonly column?: number | undefined;
}

/** Formats an issue as `file[:line:column]: path: message (fix)`, the one line users see. */
export function formatIssue(issue: Issue): string {
  const position =
    issue.line === undefined ? "" : `:${issue.line}${issue.column === undefined ? "" : `:${issue.column}`}`;
  const where = issue.path ? `${issue.file}${position}: ${issue.path}` : `${issue.file}${position}`;
  return `${where}: ${issue.message} (${issue.fix})`;
}

/**
 * Bad input (stack file, baseline, asset, CLI argument, Pulumi state): raised before any call to Microsoft, or by a
 * provider when the tenant's current state refuses what the input asks for (the fix is then in the input or tenant).
 */
export class ValidationError extends Error {
  override readonly name = "ValidationError";
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.issues = issues;
  }
}

/** Details of one failed HTTP call to Microsoft Graph or the Security & Compliance endpoint. */
export interface GraphRequestErrorInit {
  readonly status: number;
  /** Graph's `error.code` (e.g. `Request_ResourceNotFound`), or a transport code such as `ECONNRESET`. */
  readonly code: string;
  readonly message: string;
  readonly requestId?: string | undefined;
  readonly method: string;
  /** Path relative to the service root, e.g. `/identity/conditionalAccess/policies`. */
  readonly path: string;
  /** Detail codes from `error.details[].code` / `innerError`, e.g. `NoBackingApplicationObject`. */
  readonly detailCodes?: readonly string[] | undefined;
  /** Seconds from a Retry-After header, when Microsoft sent one. */
  readonly retryAfterSeconds?: number | undefined;
  /** The permission or role the deploying app lacks, when Microsoft refused the call for one. */
  readonly missingPermission?: string | undefined;
}

/** A call to Microsoft failed: carries status, Graph error code, message, request-id, method and path. */
export class GraphRequestError extends Error {
  override readonly name = "GraphRequestError";
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly detailCodes: readonly string[];
  readonly retryAfterSeconds: number | undefined;
  readonly missingPermission: string | undefined;
  /** The failure's own text (Microsoft's message or the transport's), without method, path, status and code. */
  readonly reason: string;
  constructor(init: GraphRequestErrorInit) {
    const rid = init.requestId ? `, request-id ${init.requestId}` : "";
    super(`${init.method} ${init.path} failed: ${init.status} ${init.code}: ${init.message}${rid}`);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.detailCodes = init.detailCodes ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.missingPermission = init.missingPermission;
    this.reason = init.message;
  }
}

/** A bug in m365-baseline itself; the message asks the user to report it. */
export class InternalError extends Error {
  override readonly name = "InternalError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(`${message} — this is a bug in m365-baseline; please report it with this message`, options);
  }
}
