/**
 * Graph's retention labels (delegated-only by the documentation: 403 for app-only tokens unless the
 * emulator is told otherwise; the same objects as S&C ComplianceTags) and Secure Score control profiles.
 */
import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import type { TenantConnection } from "../../../src/graph";
import { failure, useTestEmulator } from "./harness";

let emulator: RunningEmulator;
let client: TenantConnection;
useTestEmulator({}, (e, c) => {
  emulator = e;
  client = c;
});

type Json = Record<string, unknown>;
const LABELS = "/security/labels/retentionLabels";

describe("retention labels through Graph", () => {
  it("app-only callers get 403, as Graph documents the API as delegated-only", async () => {
    const e = await failure(client.graph.list(LABELS));
    expect([e.status, e.code]).toEqual([403, "Forbidden"]);
  });

  it("with app-only allowed: POST 201, GET, PATCH of updatable properties only, DELETE unless published; shared with S&C", async () => {
    emulator.setOptions({ retentionLabelsAppOnly: true });
    const label = await client.graph.create<Json>(LABELS, {
      displayName: "HR 7 years",
      behaviorDuringRetentionPeriod: "retainAsRecord",
      actionAfterRetentionPeriod: "delete",
      retentionTrigger: "dateModified",
      retentionDuration: { "@odata.type": "#microsoft.graph.security.retentionDurationInDays", days: 2555 },
      descriptionForAdmins: "HR files",
    });
    expect(label).toMatchObject({
      id: expect.any(String),
      displayName: "HR 7 years",
      behaviorDuringRetentionPeriod: "retainAsRecord",
      actionAfterRetentionPeriod: "delete",
      retentionTrigger: "dateModified",
      retentionDuration: { days: 2555 },
      isInUse: false,
    });
    const [tag] = await client.compliance.invoke<Json>("Get-ComplianceTag", { Identity: "HR 7 years" });
    expect(tag).toMatchObject({
      Guid: label["id"],
      RetentionAction: "KeepAndDelete",
      RetentionType: "ModificationAgeInDays",
      IsRecordLabel: true,
      RetentionDuration: "2555",
    });

    await client.graph.patch(`${LABELS}/${label["id"]}`, {
      retentionDuration: { "@odata.type": "#microsoft.graph.security.retentionDurationForever" },
      descriptionForUsers: "Kept",
    });
    expect(await client.graph.get<Json>(`${LABELS}/${label["id"]}`)).toMatchObject({
      retentionDuration: { "@odata.type": "#microsoft.graph.security.retentionDurationForever" },
      descriptionForUsers: "Kept",
    });
    expect((await failure(client.graph.patch(`${LABELS}/${label["id"]}`, { displayName: "Renamed" }))).status).toBe(
      400,
    );
    expect((await failure(client.graph.create(LABELS, { displayName: "HR 7 years" }))).status).toBe(409);

    await client.compliance.invoke("New-RetentionCompliancePolicy", { Name: "Publish HR", ExchangeLocation: ["All"] });
    await client.compliance.invoke("New-RetentionComplianceRule", {
      Policy: "Publish HR",
      PublishComplianceTag: ["HR 7 years"],
    });
    expect((await client.graph.get<Json>(`${LABELS}/${label["id"]}`))["isInUse"]).toBe(true);
    expect((await failure(client.graph.delete(`${LABELS}/${label["id"]}`))).status).toBe(400);
    await client.compliance.invoke("Remove-RetentionCompliancePolicy", { Identity: "Publish HR" });
    await client.graph.delete(`${LABELS}/${label["id"]}`);
    expect(await client.graph.list(LABELS)).toEqual([]);
    emulator.setOptions({ retentionLabelsAppOnly: false });
  });
});

describe("Secure Score control profiles", () => {
  it("GET by id; PATCH needs vendorInformation and records the state update", async () => {
    const profile = await client.graph.get<Json>("/security/secureScoreControlProfiles/AdminMFAV2");
    expect(profile["id"]).toBe("AdminMFAV2");
    const path = "/security/secureScoreControlProfiles/AdminMFAV2";
    expect((await failure(client.graph.patch(path, { state: "ThirdParty" }))).status).toBe(400);
    await client.graph.patch(path, {
      state: "ThirdParty",
      comment: "covered by CA03",
      vendorInformation: { provider: "SecureScore", vendor: "Microsoft" },
    });
    const after = await client.graph.get<Json>(path);
    expect((after["controlStateUpdates"] as Json[]).at(-1)).toMatchObject({
      state: "ThirdParty",
      comment: "covered by CA03",
    });
    expect((await failure(client.graph.get("/security/secureScoreControlProfiles/NoSuchControl"))).status).toBe(404);
  });
});
