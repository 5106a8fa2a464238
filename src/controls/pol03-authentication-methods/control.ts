/** POL03: weak authentication methods (SMS, voice call, email OTP) disabled in the authentication methods policy. */
import { z } from "zod";
import { defineControl, graph } from "../types";

const state = z.enum(["enabled", "disabled"]);

export const pol03Schema = z
  .object({
    sms: state.default("disabled").describe("Sms configuration state."),
    voice: state.default("disabled").describe("Voice configuration state."),
    email: state.default("disabled").describe("Email OTP configuration state."),
  })
  .strict();

export const pol03 = defineControl({
  id: "POL03",
  title: "Disable weak authentication methods",
  rationale: "SMS and voice codes can be SIM-swapped or intercepted; email OTP is phishable.",
  severity: "medium",
  frameworks: [
    { framework: "CISA SCuBA", ref: "MS.AAD.3.5v2" },
    { framework: "CIS M365", ref: "5.2.3.5" },
  ],
  secureScore: [],
  permissions: {
    read: [graph("Policy.Read.AuthenticationMethod")],
    write: [graph("Policy.ReadWrite.AuthenticationMethod")],
  },
  licence: null,
  resourceTypes: ["authenticationMethodsPolicy"],
  conditionalAccess: false,
  schema: pol03Schema,
  compile: (params) => [
    {
      name: "pol03-authentication-methods",
      type: "authenticationMethodsPolicy" as const,
      naturalKey: "authenticationMethodsPolicy",
      properties: {
        authenticationMethodConfigurations: [
          { id: "Email", state: params.email },
          { id: "Sms", state: params.sms },
          { id: "Voice", state: params.voice },
        ],
      },
    },
  ],
});
