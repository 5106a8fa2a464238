/** `pulumi.runtime.setMocks` with azuread lookups answered like a real tenant, recording every registration. */
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonProbe } from "./json";
import { REPO } from "./repo";

export interface Registration {
  type: string;
  name: string;
  inputs: JsonProbe;
  provider: string;
  /** The `import` option's id, when the program adopts an existing object. */
  importId?: string | undefined;
}

/** App-role ids the mocked resource service principals expose (value → id). */
export const MOCK_APP_ROLES: Record<string, Record<string, string>> = {
  "00000003-0000-0000-c000-000000000000": {
    "ChannelMember.ReadWrite.All": "35930dcf-aceb-4bd1-b99a-8ffed403c974",
    "ChannelMessage.Read.All": "7b2449af-6ccd-4f4d-9f78-e550c193f0d1",
    "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
    "Group.Read.All": "5b567255-7703-4780-807c-7be8301ae99b",
    "Sites.Read.All": "332a536c-c7ef-4017-ab91-336970924f0d",
    "TeamSettings.ReadWrite.All": "bdd80a03-d9bc-451d-b7c4-ce7c63fe3c8f",
  },
  "00000002-0000-0ff1-ce00-000000000000": {
    "Exchange.ManageAsApp": "dc50a0fb-09a3-484d-be87-e023b12c6440",
    full_access_as_app: "dc890d15-9560-4a4c-9b7f-a736ec74ec40",
  },
  "00000003-0000-0ff1-ce00-000000000000": {
    "Sites.FullControl.All": "678536fe-1083-478a-9c59-b99265e6b0d3",
    "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
  },
};

/** Installs mocks; returns the live list of registrations. */
export function installMocks(stack: string): Registration[] {
  const registered: Registration[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as JsonProbe,
          provider: args.provider ?? "",
          importId: args.id || undefined,
        });
        const id = `${args.name}-id`;
        return { id, state: { ...args.inputs, objectId: `${args.name}-oid`, clientId: `${args.name}-appid` } };
      },
      call: (args) => {
        const inputs = args.inputs as Record<string, string>;
        if (args.token === "azuread:index/getServicePrincipal:getServicePrincipal")
          return { objectId: `sp-${inputs["clientId"]}`, appRoleIds: MOCK_APP_ROLES[inputs["clientId"]!] ?? {} };
        if (args.token === "azuread:index/getGroup:getGroup") return { objectId: `group-${inputs["displayName"]}` };
        if (args.token === "azuread:index/getUser:getUser") return { objectId: `user-${inputs["userPrincipalName"]}` };
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    "m365-baseline",
    stack,
    false,
  );
  return registered;
}

/**
 * A committed stack file's configuration as Pulumi hands it to the program: strings, JSON objects, secrets decrypted.
 */
export function programConfig(stack: string, secrets: Record<string, string>): Record<string, string> {
  const config = (
    parse(readFileSync(join(REPO, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }
  ).config;
  // Stack files hold no secrets (they are set with `pulumi config set --secret`); the engine hands them over decrypted.
  const plain = Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
  return Object.fromEntries([...plain, ...Object.entries(secrets).map(([name, v]) => [`m365-baseline:${name}`, v])]);
}

/** Resolves when every registration so far has settled. */
export function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 50));
}
