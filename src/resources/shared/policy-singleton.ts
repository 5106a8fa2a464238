/** What the tenant-wide policy singletons (`/policies/<name>`) share: found as singletons, compared as read. */
import { checkable } from "./views";
import type { CheckViews } from "../types";
import type { LiveSingletons } from "../../check/snapshot";

/** `check` views of the singleton the snapshot read for `type`. */
export function singletonViews(type: keyof LiveSingletons): CheckViews {
  return { find: (_r, live) => live.singletons[type], desired: (r) => checkable(r), live: (_r, found) => found };
}
