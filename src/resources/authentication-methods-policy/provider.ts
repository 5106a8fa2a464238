/**
 * The authentication methods policy: each managed method configuration (Sms, Voice, Email, …) is
 * PATCHed on its own path with its `@odata.type`, as Graph requires; delete restores the recorded states.
 */
import { canonical, project } from "../../providers/canonical";
import type { LiveState, LogicContext, Props, ResourceLogic } from "../../providers/types";
import { refused } from "../shared/refused";

const POLICY = "/policies/authenticationMethodsPolicy";
type MethodConfig = { id: string; state?: string; "@odata.type"?: string };

async function live(ctx: LogicContext): Promise<MethodConfig[]> {
  const policy = await ctx.connection.graph.get<{ authenticationMethodConfigurations?: MethodConfig[] }>(POLICY);
  return policy.authenticationMethodConfigurations ?? [];
}

async function apply(ctx: LogicContext, current: MethodConfig[], desired: MethodConfig[]): Promise<void> {
  for (const want of desired) {
    const have = current.find((c) => c.id.toLowerCase() === want.id.toLowerCase());
    if (!have)
      throw refused(
        `authentication method '${want.id}' does not exist in this tenant (known: ${current.map((c) => c.id).join(", ")})`,
        "correct POL03's parameters",
        "the baseline",
        "controls.POL03.params",
      );
    if (have.state === want.state) continue;
    await ctx.connection.graph.patch(`${POLICY}/authenticationMethodConfigurations/${have.id}`, {
      "@odata.type": have["@odata.type"],
      state: want.state,
    });
  }
}

function configs(props: Props): MethodConfig[] {
  return (props["authenticationMethodConfigurations"] ?? []) as MethodConfig[];
}

export const authenticationMethodsPolicy: ResourceLogic = {
  type: "AuthenticationMethodsPolicy",
  replaceKeys: [],
  bookkeeping: [],
  check(inputs) {
    const list = inputs["authenticationMethodConfigurations"];
    if (!Array.isArray(list))
      return [{ property: "authenticationMethodConfigurations", reason: "must be a list of { id, state }" }];
    return list.flatMap((c: Props, i) =>
      c["state"] === "enabled" || c["state"] === "disabled"
        ? []
        : [{ property: `authenticationMethodConfigurations[${i}].state`, reason: "must be enabled or disabled" }],
    );
  },
  async create(ctx, inputs) {
    const current = await live(ctx);
    const previous = project(current, configs(inputs)) as MethodConfig[];
    await apply(ctx, current, configs(inputs));
    return {
      id: "authenticationMethodsPolicy",
      props: inputs,
      extra: { previous: { authenticationMethodConfigurations: canonical(previous) ?? [] } },
      adopted: true,
    };
  },
  async read(ctx, _id, inputs, outputs): Promise<LiveState> {
    const current = project(await live(ctx), configs(inputs)) as MethodConfig[];
    return {
      id: "authenticationMethodsPolicy",
      props: { authenticationMethodConfigurations: current.map((c) => ({ id: c.id, state: c.state })) },
      extra: { previous: outputs["previous"] },
    };
  },
  async update(ctx, _id, olds, news) {
    await apply(ctx, await live(ctx), configs(news));
    return { id: "authenticationMethodsPolicy", props: news, extra: { previous: olds["previous"] } };
  },
  async delete(ctx, _id, outputs) {
    const previous = configs((outputs["previous"] ?? {}) as Props);
    if (previous.length > 0) await apply(ctx, await live(ctx), previous);
  },
};
