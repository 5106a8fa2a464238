/** What the tenant-wide policy singletons (`/policies/<name>`) share: found as singletons, compared as read. */
import { checkable } from "./views";
import type { CheckViews } from "../types";
import type { ResourceType } from "../../core/desired";

/** `check` views of the singleton the snapshot read for `type`. */
export function singletonViews(type: ResourceType): CheckViews {
  return { find: (_r, live) => live.singletons[type], desired: checkable, live: (_r, found) => found };
}
