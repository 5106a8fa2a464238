/**
 * The MSP strict baseline, for regulated customers: conditional access enforced from day one,
 * phishing-resistant MFA for every admin role, MFA through the built-in authentication strength,
 * shorter admin sessions, no user consent at all and risk policies at every level.
 */
import { defineBaseline } from "../src/baseline/define";

export default defineBaseline({
  name: "msp-strict",
  description:
    "Enforced conditional access incl. phishing-resistant admins, admin sign-in frequency, guests' MFA and no user consent.",
  controls: {
    CA01: { stage: "enforce" },
    CA02: { stage: "enforce", params: { method: "authenticationStrength" } },
    CA03: { stage: "enforce" },
    CA04: { stage: "enforce", params: { roles: "allAdmins" } },
    CA05: { stage: "enforce" },
    CA06: { stage: "enforce", params: { riskLevels: ["high", "medium", "low"] } },
    CA07: { stage: "enforce" },
    CA08: { stage: "enforce" },
    CA09: { stage: "enforce" },
    CA10: { stage: "enforce" },
    CA11: { stage: "enforce", params: { signInFrequencyHours: 4 } },
    POL01: { stage: "enforce" },
    POL02: { stage: "enforce", params: { userConsent: "none", allowedToCreateApps: false } },
    POL03: { stage: "enforce", params: { sms: "disabled", voice: "disabled", email: "disabled" } },
    APP01: {
      stage: "enforce",
      params: { preset: "veeam-m365-v8", certificateFile: "baselines/certs/veeam-backup.pem", teamsChatExport: false },
    },
  },
});
