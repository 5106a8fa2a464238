/**
 * The typed registry of controls. Core code iterates it and reads each control's properties; it never
 * switches on a control's id. Order here is the order of reports and plans.
 */
import { app01 } from "./app01-backup-app/control";
import { brand01 } from "./brand01-company-branding/control";
import { ca01 } from "./ca01-block-legacy-auth/control";
import { ca02 } from "./ca02-mfa-all-users/control";
import { ca03 } from "./ca03-mfa-admins/control";
import { ca04 } from "./ca04-phishing-resistant-admins/control";
import { ca05 } from "./ca05-mfa-azure-management/control";
import { ca06 } from "./ca06-sign-in-risk/control";
import { ca07 } from "./ca07-user-risk/control";
import { ca08 } from "./ca08-security-info-registration/control";
import { ca09 } from "./ca09-block-device-code/control";
import { ca10 } from "./ca10-mfa-guests/control";
import { ca11 } from "./ca11-admin-session/control";
import { pol01 } from "./pol01-security-defaults/control";
import { pol02 } from "./pol02-authorization-policy/control";
import { pol03 } from "./pol03-authentication-methods/control";
import { ret01 } from "./ret01-retention-labels/control";
import { ret02 } from "./ret02-retention-policies/control";
import type { z } from "zod";
import type { ControlDefinition } from "./types";

export const controls = {
  CA01: ca01,
  CA02: ca02,
  CA03: ca03,
  CA04: ca04,
  CA05: ca05,
  CA06: ca06,
  CA07: ca07,
  CA08: ca08,
  CA09: ca09,
  CA10: ca10,
  CA11: ca11,
  BRAND01: brand01,
  RET01: ret01,
  RET02: ret02,
  APP01: app01,
  POL01: pol01,
  POL02: pol02,
  POL03: pol03,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parameter types differ per control
} as const satisfies Record<string, ControlDefinition<any>>;

export type ControlId = keyof typeof controls;
/** Parameters of control `K` as a baseline or stack writes them (defaults optional). */
export type ControlInput<K extends ControlId> = z.input<(typeof controls)[K]["schema"]>;

/** Every control id, in registry order. */
export const controlIds = Object.keys(controls) as ControlId[];

/** The control for `id`, or undefined for an unknown id. */
export function findControl(id: string): ControlDefinition<unknown> | undefined {
  return (controls as Record<string, ControlDefinition<unknown>>)[id];
}
