/** CA11 (optional): admins re-authenticate every few hours and never keep a persistent browser session. */
import { z } from "zod";
import {
  ADMIN_ROLE_TEMPLATE_IDS,
  caFrameworks,
  defineConditionalAccessControl,
  exclusionsSchema,
  sortedUnique,
} from "../conditional-access/common";

export const ca11Schema = exclusionsSchema.extend({
  signInFrequencyHours: z
    .number()
    .int()
    .min(1)
    .max(24)
    .default(4)
    .describe("Hours before administrators must sign in again (CIS: at most 4)."),
});

export const ca11 = defineConditionalAccessControl({
  id: "CA11",
  title: "Limit administrator sessions",
  rationale: "Short admin sessions without persistent cookies shrink the window for stolen session tokens.",
  severity: "medium",
  frameworks: caFrameworks(undefined, "5.2.2.4"),
  secureScore: ["aad_sign_in_freq_session_timeout"],
  schema: ca11Schema,
  policy: (params) => ({
    users: { includeRoles: sortedUnique([...ADMIN_ROLE_TEMPLATE_IDS]) },
    applications: { includeApplications: ["All"] },
    sessionControls: {
      signInFrequency: {
        isEnabled: true,
        type: "hours",
        value: params.signInFrequencyHours,
        frequencyInterval: "timeBased",
        authenticationType: "primaryAndSecondaryAuthentication",
      },
      persistentBrowser: { isEnabled: true, mode: "never" },
    },
  }),
});
