/** What every Security & Compliance call needs: the Exchange app role and a directory role that may run the cmdlets. */
import type { Permission } from "../../controls/types";

const COMPLIANCE: readonly Permission[] = [
  { resource: "Office 365 Exchange Online", value: "Exchange.ManageAsApp" },
  { resource: "Entra ID role", value: "Compliance Administrator" },
];

/** Read and write need the same grants (Get-* runs under the same role). */
export const COMPLIANCE_PERMISSIONS = { read: COMPLIANCE, write: COMPLIANCE };
