/** CA10 (optional): require MFA for every kind of guest and external user. */
import { caFrameworks, defineConditionalAccessControl, exclusionsSchema } from "../conditional-access/common";

/** Every guest and external user type Graph knows, in Graph's comma-joined form. */
export const ALL_GUEST_TYPES =
  "internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider";

export const ca10 = defineConditionalAccessControl({
  id: "CA10",
  title: "Require MFA for guests",
  rationale: "Guests authenticate in their home tenant; this policy ensures they still satisfy MFA here.",
  severity: "medium",
  frameworks: caFrameworks(undefined, undefined, "MT.1016"),
  schema: exclusionsSchema,
  policy: () => ({
    users: {
      includeGuestsOrExternalUsers: {
        guestOrExternalUserTypes: ALL_GUEST_TYPES,
        externalTenants: { membershipKind: "all" },
      },
    },
    applications: { includeApplications: ["All"] },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  }),
});
