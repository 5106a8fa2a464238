/**
 * Pulumi entry point (`Pulumi.yaml` main): the tenant of the selected stack, as its baseline wants it. It exports an
 * async function because a stack with `licences: auto` reads its tenant's subscribedSkus before registering anything;
 * Pulumi awaits it and takes the stack outputs (tenantId, baseline, resources, controls, applications) from its
 * result (www.pulumi.com/docs/iac/languages-sdks/javascript/#entrypoint).
 */
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "./run";

export = () => runProgram(pulumi.getStack(), pulumi.runtime.allConfig(), resolve(__dirname, "..", ".."), process.env);
