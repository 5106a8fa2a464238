/** Child process of the program benchmark: time to load @pulumi/pulumi, then to register one tenant under mocks. */
import { performance } from "node:perf_hooks";
import { resolve } from "node:path";

const t0 = performance.now();
const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
const loadMs = performance.now() - t0;
let registrations = 0;
const { PRESETS } =
  require("../controls/app01-backup-app/control") as typeof import("../controls/app01-backup-app/control");
const roles = Object.fromEntries(
  Object.values(PRESETS).flatMap((p) =>
    p.requiredResourceAccess.flatMap((r) => r.roles.map((v) => [v, "00000000-0000-0000-0000-000000000001"])),
  ),
);
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      registrations++;
      return { id: `${a.name}-id`, state: { ...a.inputs, objectId: `${a.name}-oid`, clientId: `${a.name}-app` } };
    },
    call: (a) => (a.token.includes("getServicePrincipal") ? { objectId: "sp", appRoleIds: roles } : { objectId: "x" }),
  },
  "m365-baseline",
  "contoso",
  false,
);
const root = resolve(__dirname, "..", "..");
const { runProgram } = require("../program/run") as typeof import("../program/run");
const { programConfigFromFile } = require("./program-config") as typeof import("./program-config");
const t1 = performance.now();
// Stack files hold no secrets; a placeholder PFX (base64) stands in for the one an operator sets.
void runProgram("contoso", programConfigFromFile(root, "contoso"), root, {
  M365B_CERTIFICATE_PFX: "YmVuY2gtcGxhY2Vob2xkZXI=",
});
// Registration settles asynchronously (outputs resolve, invokes answer): stop when the count is stable.
let last = -1;
let settledAt = performance.now();
const poll = setInterval(() => {
  if (registrations !== last) {
    last = registrations;
    settledAt = performance.now();
    return;
  }
  clearInterval(poll);
  process.stdout.write(JSON.stringify({ loadMs, registerMs: settledAt - t1, registrations }));
}, 5);
