/** Pulumi entry point (`Pulumi.yaml` main): the tenant of the selected stack, as its baseline wants it. */
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "./run";

const outputs = runProgram(pulumi.getStack(), pulumi.runtime.allConfig(), resolve(__dirname, "..", ".."), process.env);

export const tenantId = outputs.tenantId;
export const baseline = outputs.baseline;
export const resources = outputs.resources;
export const controls = outputs.controls;
export const applications = outputs.applications;
