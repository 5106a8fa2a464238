/**
 * The result of `check` (read-only compliance of live tenants), rendered by the terminal, JSON,
 * Markdown and HTML reporters. JSON output is exactly `CheckReport`; its schema is documented in docs/.
 */

/** One control's status in one tenant. */
export type ControlStatus = "compliant" | "drifted" | "missing" | "notLicensed" | "excepted" | "error";

/** One property that differs between desired and live state, at a JSON path in Graph vocabulary. */
export interface PropertyDifference {
  /** e.g. `conditions.users.excludeGroups` or `state`. */
  readonly path: string;
  readonly desired: unknown;
  readonly live: unknown;
}

export interface ControlResult {
  readonly controlId: string;
  readonly title: string;
  readonly severity: "critical" | "high" | "medium" | "low";
  readonly status: ControlStatus;
  /** Names of the desired resources the control covers. */
  readonly resources: readonly string[];
  readonly differences: readonly PropertyDifference[];
  /** For `excepted`: the exception; `expiresSoon` when it ends within 30 days. */
  readonly exception?:
    | {
        readonly reason: string;
        readonly expires: string;
        readonly expiresSoon: boolean;
        /** For an exception scoped to properties: those paths, and how many differences it excused. */
        readonly properties?: readonly string[] | undefined;
        readonly excused?: number | undefined;
      }
    | undefined;
  /** For `error` and `notLicensed`: why. */
  readonly message?: string | undefined;
}

/** A live object the baseline does not own: reported, never changed or deleted. */
export interface UnmanagedObject {
  readonly type: "conditionalAccessPolicy" | "namedLocation" | "group" | "application" | "retentionCompliancePolicy";
  readonly id: string;
  readonly displayName: string;
  /**
   * `microsoftManaged` for Microsoft-managed CA policies; `highPrivilege` for apps holding high-privilege app roles;
   * `duplicate` for another object with a managed object's name (check compares only the first).
   */
  readonly label: "unmanaged" | "microsoftManaged" | "highPrivilege" | "duplicate";
  readonly detail?: string | undefined;
}

export interface SecureScoreAction {
  readonly controlName: string;
  /** Baseline control ids that address this improvement action. */
  readonly addressedBy: readonly string[];
  /** Whether Microsoft counts the action as met: its control score reaches the profile's maxScore. */
  readonly met: boolean;
  /** The action's points now (secureScore.controlScores) and at most (secureScoreControlProfiles). */
  readonly score?: number | undefined;
  readonly maxScore?: number | undefined;
  /** Whether every addressing baseline control is compliant in this tenant (our view, beside Microsoft's). */
  readonly baselineCompliant?: boolean | undefined;
}

export interface SecureScoreSummary {
  readonly currentScore: number;
  readonly maxScore: number;
  readonly actions: readonly SecureScoreAction[];
  /** Points the baseline's actions not yet met would add. */
  readonly gainByBaseline?: number | undefined;
  /** Improvement actions with points to gain that no baseline control addresses, most points first. */
  readonly notAddressed?:
    | readonly {
        readonly controlName: string;
        readonly score?: number | undefined;
        readonly maxScore?: number | undefined;
      }[]
    | undefined;
}

/**
 * The backup app's (APP01) last sign-in from Graph's beta servicePrincipalSignInActivities report: absent date when
 * none is recorded; `notRead` says why the optional read failed (permission, licence, beta not available).
 */
export interface BackupSignIn {
  readonly appId: string;
  /** `lastSignInActivity.lastSignInDateTime`: the latest sign-in of any flow, as client or resource. */
  readonly lastSignInDateTime?: string | undefined;
  readonly notRead?: string | undefined;
}

export interface TenantCheckResult {
  readonly stack: string;
  readonly tenantId: string;
  readonly displayName: string;
  /** Worst status across controls: error > drifted (drifted or missing) > compliant. */
  readonly status: "compliant" | "drifted" | "error";
  readonly controls: readonly ControlResult[];
  readonly unmanaged: readonly UnmanagedObject[];
  readonly secureScore?: SecureScoreSummary | undefined;
  /** When the baseline manages the backup app and it is registered: its last sign-in, or why it was not read. */
  readonly backupSignIn?: BackupSignIn | undefined;
  /**
   * For a stack with `licences: auto`: the licences derived from the tenant's subscribedSkus, which the check compiled
   * the stack for (there is no claim to compare them with).
   */
  readonly derivedLicences?: { readonly entraIdP1: boolean; readonly entraIdP2: boolean } | undefined;
  /** Tenant-level failure (auth, throttling) — the tenant's controls are then `error`. */
  readonly error?: string | undefined;
  /** When the tenant refused calls for lack of consent: every permission or role it lacks, sorted. */
  readonly missingPermissions?: readonly string[] | undefined;
  /** HTTP requests made for this tenant (the benchmark checks it equals the collections read). */
  readonly requests: number;
  readonly durationMs: number;
}

export interface CheckReport {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly baselineVersion: string;
  readonly tenants: readonly TenantCheckResult[];
  readonly summary: {
    readonly tenants: number;
    readonly compliant: number;
    readonly drifted: number;
    readonly errors: number;
  };
}
