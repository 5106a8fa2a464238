/**
 * The m365 dynamic resources the program registers (`pulumi-nodejs:dynamic/m365:<type>`), one provider
 * instance per type so Pulumi serializes each shim once.
 */
import * as pulumi from "@pulumi/pulumi";
import { M365Provider } from "./shim";

const providers = new Map<string, M365Provider>();

/** Outputs every m365 resource adds to its inputs. */
export const EXTRA_OUTPUTS = ["adopted", "previous"] as const;

/** One m365 object (branding, retention, tenant policy) managed through our dynamic provider. */
export class M365Resource extends pulumi.dynamic.Resource {
  declare readonly adopted: pulumi.Output<boolean>;

  constructor(
    type: string,
    name: string,
    props: Record<string, pulumi.Input<unknown>>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    let provider = providers.get(type);
    if (!provider) {
      provider = new M365Provider(type);
      providers.set(type, provider);
    }
    super(provider, name, { ...props, adopted: undefined, previous: undefined }, opts, "m365", type);
  }
}
