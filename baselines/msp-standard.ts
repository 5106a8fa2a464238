/**
 * The MSP standard baseline: every conditional-access policy starts report-only and is enforced per
 * tenant through `stages` once sign-in logs show no surprises; tenant-wide policies, branding,
 * retention and the backup app apply as written.
 */
import { defineBaseline } from "../src/baseline/define";

export default defineBaseline({
  name: "msp-standard",
  description:
    "Report-only conditional access rolled out per tenant, hardened tenant policies, branding, 7-year mail retention and the Veeam backup app.",
  controls: {
    CA01: { stage: "reportOnly" },
    CA02: { stage: "reportOnly", params: { method: "mfa" } },
    CA03: { stage: "reportOnly" },
    CA04: { stage: "reportOnly", params: { roles: "cisa" } },
    CA05: { stage: "reportOnly" },
    CA06: { stage: "reportOnly", params: { riskLevels: ["high", "medium"] } },
    CA07: { stage: "reportOnly" },
    CA08: { stage: "reportOnly" },
    CA09: { stage: "reportOnly" },
    // Security defaults must be off before any CA policy is enabled; POL01 only acts once one is enforced.
    POL01: { stage: "enforce" },
    POL02: { stage: "enforce", params: { userConsent: "lowRisk", allowedToCreateApps: false } },
    POL03: { stage: "enforce", params: { sms: "disabled", voice: "disabled", email: "disabled" } },
    BRAND01: {
      stage: "enforce",
      params: {
        signInPageText: "Authorised users only. Sign-ins are monitored by your IT partner.",
        usernameHintText: "name@company.com",
        backgroundColor: "#1F3A5F",
        layout: { template: "default", showHeader: false, showFooter: true },
        assets: {
          bannerLogo: "baselines/assets/banner-logo.png",
          squareLogo: "baselines/assets/square-logo.png",
          backgroundImage: "baselines/assets/background.png",
          favicon: "baselines/assets/favicon.png",
        },
      },
    },
    RET01: {
      stage: "enforce",
      params: {
        labels: [
          {
            displayName: "Keep 7 years",
            descriptionForUsers: "Kept for 7 years after creation, then left for you to delete.",
            behaviorDuringRetentionPeriod: "retain",
            actionAfterRetentionPeriod: "none",
            retentionTrigger: "dateCreated",
            retentionDurationDays: 2555,
          },
        ],
      },
    },
    RET02: {
      stage: "enforce",
      params: {
        policies: [
          {
            name: "Mailboxes - keep 7 years",
            comment: "Managed by m365-baseline",
            workloads: ["exchange"],
            retentionDays: 2555,
            action: "Keep",
            expirationDateOption: "CreationAgeInDays",
          },
          {
            name: "Publish standard labels",
            workloads: ["exchange", "sharePoint", "oneDrive"],
            publishLabels: ["Keep 7 years"],
          },
        ],
      },
    },
    APP01: {
      stage: "enforce",
      params: { preset: "veeam-m365-v8", certificateFile: "baselines/certs/veeam-backup.pem" },
    },
  },
});
