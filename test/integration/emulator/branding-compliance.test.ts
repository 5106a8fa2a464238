/**
 * Company branding (default localization by Accept-Language, localizations, image and CSS streams with
 * the portal's limits) and the Security & Compliance InvokeCommand endpoint (retention cmdlets, the
 * anchor mailbox, the service's error shape as the client unwraps it, the regional redirect).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../../src/emulator";
import type { TenantConnection } from "../../../src/graph";
import { accessToken, clientFor, CONTOSO, expectGraphError, FABRIKAM, failure, raw, useTestEmulator } from "./harness";

let emulator: RunningEmulator;
let client: TenantConnection;
useTestEmulator({}, (e, c) => {
  emulator = e;
  client = c;
});

type Json = Record<string, unknown>;
const ORG = `/organization/${CONTOSO.tenantId}/branding`;
const DEFAULT = { headers: { "Accept-Language": "0" } };

/** A PNG header of the given size: enough for the emulator's dimension check, padded to `bytes`. */
function png(width: number, height: number, bytes = 64): Buffer {
  const b = Buffer.alloc(Math.max(bytes, 33));
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "ascii");
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

describe("branding", () => {
  it("is 404 Request_ResourceNotFound until the default exists; POST localizations without id creates it", async () => {
    const token = await accessToken(emulator);
    expectGraphError(
      await raw(emulator, "GET", `/v1.0${ORG}`, { token, headers: { "accept-language": "0" } }),
      404,
      "Request_ResourceNotFound",
    );
    const created = await client.graph.post<Json>(
      `${ORG}/localizations`,
      { signInPageText: "Welcome", usernameHintText: "you@contoso.com" },
      DEFAULT,
    );
    expect(created["id"]).toBe("0");
    const branding = await client.graph.get<Json>(ORG, DEFAULT);
    expect(branding).toMatchObject({ id: "0", signInPageText: "Welcome", bannerLogoRelativeUrl: null });
    expect(branding["cdnList"]).toEqual(expect.arrayContaining(["aadcdn.msftauthimages.net"]));
  });

  it("PATCH updates the default (204) and refuses stream properties in the same body", async () => {
    await client.graph.patch(
      ORG,
      {
        backgroundColor: "#102030",
        loginPageLayoutConfiguration: {
          layoutTemplateType: "verticalSplit",
          isHeaderShown: false,
          isFooterShown: true,
        },
      },
      DEFAULT,
    );
    expect(await client.graph.get<Json>(ORG, DEFAULT)).toMatchObject({
      backgroundColor: "#102030",
      loginPageLayoutConfiguration: { layoutTemplateType: "verticalSplit" },
    });
    expect((await failure(client.graph.patch(ORG, { bannerLogo: "AAAA" }, DEFAULT))).status).toBe(400);
  });

  it("localizations: POST, GET (also through Accept-Language), PATCH, list with the default as id 0, DELETE", async () => {
    await client.graph.post(`${ORG}/localizations`, { id: "fr-FR", signInPageText: "Bienvenue" });
    expect(await client.graph.get<Json>(`${ORG}/localizations/fr-FR`)).toMatchObject({
      id: "fr-FR",
      signInPageText: "Bienvenue",
    });
    expect(await client.graph.get<Json>(ORG, { headers: { "Accept-Language": "fr-FR" } })).toMatchObject({
      signInPageText: "Bienvenue",
    });
    await client.graph.patch(`${ORG}/localizations/fr-FR`, { signInPageText: "Bonjour" });
    expect((await client.graph.get<Json>(`${ORG}/localizations/fr-FR`))["signInPageText"]).toBe("Bonjour");
    expect((await client.graph.list<Json>(`${ORG}/localizations`)).map((l) => l["id"]).sort()).toEqual(["0", "fr-FR"]);
    expect((await failure(client.graph.post(`${ORG}/localizations`, { id: "0" }))).status).toBe(400);
    await client.graph.delete(`${ORG}/localizations/fr-FR`);
    expect(await client.graph.tryGet(`${ORG}/localizations/fr-FR`)).toBeUndefined();
  });

  it("streams: PUT raw bytes within the limits, GET them back, unset is empty, DELETE; wrong size, type or path is 400", async () => {
    const square = readFileSync("baselines/assets/square-logo.png");
    await client.graph.putStream(`${ORG}/localizations/0/squareLogo`, square, "image/png");
    expect(Buffer.from((await client.graph.getStream(`${ORG}/localizations/0/squareLogo`))!)).toEqual(square);
    expect((await client.graph.get<Json>(ORG, DEFAULT))["squareLogoRelativeUrl"]).toMatch(
      /logintenantbranding\/0\/squarelogo/,
    );
    expect(await client.graph.getStream(`${ORG}/localizations/0/headerLogo`)).toBeUndefined();

    await client.graph.putStream(`${ORG}/localizations/0/bannerLogo`, png(245, 36), "image/png");
    expect(
      (await failure(client.graph.putStream(`${ORG}/localizations/0/bannerLogo`, png(300, 36), "image/png"))).status,
    ).toBe(400);
    expect(
      (await failure(client.graph.putStream(`${ORG}/localizations/0/headerLogo`, png(245, 36, 11 * 1024), "image/png")))
        .status,
    ).toBe(400);
    expect(
      (
        await failure(
          client.graph.putStream(`${ORG}/localizations/0/backgroundImage`, png(1920, 1080, 301 * 1024), "image/png"),
        )
      ).status,
    ).toBe(400);
    expect(
      (await failure(client.graph.putStream(`${ORG}/localizations/0/favicon`, png(32, 32), "image/gif"))).status,
    ).toBe(400);
    expect(
      (
        await failure(
          client.graph.putStream(`${ORG}/localizations/0/squareLogo`, Buffer.from("not an image"), "image/png"),
        )
      ).status,
    ).toBe(400);
    await client.graph.putStream(`${ORG}/localizations/0/customCSS`, ".ext-sign-in-box { color: #000; }", "text/css");
    expect(
      (await failure(client.graph.putStream(`${ORG}/localizations/0/customCSS`, "x".repeat(26 * 1024), "text/css")))
        .status,
    ).toBe(400);

    const token = await accessToken(emulator);
    const wrong = await raw(emulator, "PATCH", `/v1.0${ORG}/bannerLogo`, {
      token,
      body: png(245, 36),
      headers: { "content-type": "image/png" },
    });
    expect(expectGraphError(wrong, 400, "Request_UnsupportedQuery")["message"]).toBe(
      "Invalid locale id value bannerLogo. It must be a valid ISO-639 locale.",
    );

    // Images must go before the branding itself.
    expect((await failure(client.graph.delete(ORG, DEFAULT))).status).toBe(400);
    for (const kind of ["squareLogo", "bannerLogo", "customCSS"])
      await client.graph.delete(`${ORG}/localizations/0/${kind}`);
    await client.graph.delete(ORG, DEFAULT);
    expect(await client.graph.tryGet(ORG, DEFAULT)).toBeUndefined();
  });
});

describe("Security & Compliance", () => {
  it("New/Get/Set/Remove with Identity by Name or Guid, outputs in value with @odata.context", async () => {
    const [tag] = await client.compliance.invoke<Json>("New-ComplianceTag", {
      Name: "Finance 7y",
      RetentionAction: "KeepAndDelete",
      RetentionDuration: 2555,
      RetentionType: "ModificationAgeInDays",
      Comment: "for admins",
    });
    expect(tag).toMatchObject({
      Name: "Finance 7y",
      RetentionAction: "KeepAndDelete",
      RetentionType: "ModificationAgeInDays",
      Guid: expect.any(String),
    });
    expect((await client.compliance.invoke<Json>("Get-ComplianceTag", { Identity: tag!["Guid"] }))[0]!["Name"]).toBe(
      "Finance 7y",
    );
    await client.compliance.invoke("Set-ComplianceTag", {
      Identity: "Finance 7y",
      RetentionDuration: 3650,
      Comment: "ten years",
    });
    expect((await client.compliance.invoke<Json>("Get-ComplianceTag", { Identity: "finance 7y" }))[0]).toMatchObject({
      RetentionDuration: "3650",
      Comment: "ten years",
    });

    await client.compliance.invoke("New-RetentionCompliancePolicy", {
      Name: "Mailboxes",
      ExchangeLocation: ["All"],
      Comment: "keep mail",
    });
    await client.compliance.invoke("New-RetentionComplianceRule", {
      Name: "Mailboxes rule",
      Policy: "Mailboxes",
      RetentionDuration: 2555,
      RetentionComplianceAction: "Keep",
    });
    const [rule] = await client.compliance.invoke<Json>("Get-RetentionComplianceRule", { Identity: "Mailboxes rule" });
    expect(rule).toMatchObject({ RetentionDuration: "2555", RetentionComplianceAction: "Keep" });
    await client.compliance.invoke("Set-RetentionCompliancePolicy", {
      Identity: "Mailboxes",
      AddSharePointLocation: ["All"],
    });
    const [policy] = await client.compliance.invoke<Json>("Get-RetentionCompliancePolicy", { Identity: "Mailboxes" });
    expect(JSON.stringify(policy!["SharePointLocation"])).toContain("All");
    await client.compliance.invoke("Remove-RetentionCompliancePolicy", { Identity: "Mailboxes" });
    expect(await client.compliance.invoke("Get-RetentionComplianceRule")).toEqual([]);
    await client.compliance.invoke("Remove-ComplianceTag", { Identity: "Finance 7y" });
  });

  it("errors carry the real message in the inner exception; the client unwraps it and its exception type", async () => {
    const missing = await failure(client.compliance.invoke("Get-RetentionCompliancePolicy", { Identity: "Nope" }));
    expect(missing.code).toBe("ManagementObjectNotFoundException");
    expect(missing.message).toMatch(/couldn't be found/);
    await client.compliance.invoke("New-RetentionCompliancePolicy", {
      Name: "Locked",
      SharePointLocation: ["All"],
      RestrictiveRetention: true,
    });
    const locked = await failure(client.compliance.invoke("Remove-RetentionCompliancePolicy", { Identity: "Locked" }));
    expect(locked.message).toMatch(/Preservation Lock/);
    const token = await accessToken(
      emulator,
      CONTOSO.tenantId,
      "https://ps.compliance.protection.outlook.com/.default",
    );
    const r = await raw(emulator, "POST", `/adminapi/beta/${CONTOSO.tenantId}/InvokeCommand`, {
      token,
      body: { CmdletInput: { CmdletName: "Get-ComplianceTag", Parameters: { Identity: "Nope" } } },
      headers: {
        "x-anchormailbox": `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${CONTOSO.primaryDomain}`,
      },
    });
    const error = r.json()["error"];
    expect(error["message"]).toBe("Invalid Operation");
    expect(error["details"][0]["message"]).toMatch(
      /\|Microsoft\.Exchange\.Management\.Tasks\.ManagementObjectNotFoundException\|/,
    );
    expect(error["innererror"]["internalexception"]["message"]).toBe(error["details"][0]["message"]);
  });

  it("binds parameters as PowerShell does: unknown names fail, enum values match case-insensitively or by a unique prefix", async () => {
    const typo = await failure(
      client.compliance.invoke("New-ComplianceTag", { Name: "Typo", RetentionDurationDays: 30 }),
    );
    expect(typo.code).toBe("ParameterBindingException");
    expect(typo.message).toMatch(/A parameter cannot be found that matches parameter name 'RetentionDurationDays'/);
    const [tag] = await client.compliance.invoke<Json>("New-ComplianceTag", {
      name: "Prefix",
      RetentionAction: "keepandd",
      RetentionDuration: 30,
      RetentionType: "creationage",
    });
    expect(tag).toMatchObject({ Name: "Prefix", RetentionAction: "KeepAndDelete", RetentionType: "CreationAgeInDays" });
    const wrong = await failure(
      client.compliance.invoke("New-ComplianceTag", {
        Name: "Wrong",
        RetentionAction: "Archive",
        RetentionDuration: 30,
        RetentionType: "CreationAgeInDays",
      }),
    );
    expect(wrong.message).toMatch(
      /Specify one of the following enumerator names and try again: Keep, Delete, KeepAndDelete/,
    );
    await client.compliance.invoke("Remove-ComplianceTag", { Identity: "Prefix" });
  });

  it("requires the tenant's X-AnchorMailbox", async () => {
    const token = await accessToken(
      emulator,
      CONTOSO.tenantId,
      "https://ps.compliance.protection.outlook.com/.default",
    );
    const body = { CmdletInput: { CmdletName: "Get-ComplianceTag", Parameters: {} } };
    expect(
      (await raw(emulator, "POST", `/adminapi/beta/${CONTOSO.tenantId}/InvokeCommand`, { token, body })).status,
    ).toBe(400);
    const other = {
      "x-anchormailbox": `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${FABRIKAM.primaryDomain}`,
    };
    expect(
      (await raw(emulator, "POST", `/adminapi/beta/${CONTOSO.tenantId}/InvokeCommand`, { token, body, headers: other }))
        .status,
    ).toBe(400);
  });

  it("pages by Prefer: odata.maxpagesize with an absolute nextLink the client re-posts to; $select keeps what it names", async () => {
    const names = Array.from({ length: 7 }, (_, i) => `Paged ${i}`);
    for (const Name of names) await client.compliance.invoke("New-ComplianceTag", { Name, RetentionDuration: 30 });
    const token = await accessToken(
      emulator,
      CONTOSO.tenantId,
      "https://ps.compliance.protection.outlook.com/.default",
    );
    const headers = {
      "x-anchormailbox": `UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${CONTOSO.primaryDomain}`,
      prefer: "odata.maxpagesize=3",
    };
    const body = { CmdletInput: { CmdletName: "Get-ComplianceTag", Parameters: {} } };
    const path = `/adminapi/beta/${CONTOSO.tenantId}/InvokeCommand?$select=Name,RetentionDuration`;
    const first = await raw(emulator, "POST", path, { token, body, headers });
    const page = first.json<{ value: Json[]; "@odata.nextLink": string }>();
    expect(first.headers["preference-applied"]).toBe("odata.maxpagesize=3");
    expect(page.value).toEqual(names.slice(0, 3).map((Name) => ({ Name, RetentionDuration: "30" })));
    const next = new URL(page["@odata.nextLink"]);
    expect([next.origin, next.searchParams.get("$skiptoken"), next.searchParams.get("$select")]).toEqual([
      new URL(emulator.url).origin,
      "3",
      "Name,RetentionDuration",
    ]);
    const last = (await raw(emulator, "POST", `${next.pathname}?$skiptoken=6`, { token, body, headers })).json<Json>();
    expect([(last["value"] as Json[]).length, last["@odata.nextLink"]]).toEqual([1, undefined]);
    // The client follows every page: with pages of 2 it still sees all 7 (4 requests).
    emulator.setOptions({ compliancePageSize: 2 });
    const before = emulator.requestLog().length;
    const all = await client.compliance.invoke<Json>("Get-ComplianceTag");
    expect(all.map((t) => t["Name"])).toEqual(names);
    expect(emulator.requestLog().length - before).toBe(4);
    emulator.setOptions({ compliancePageSize: 1000 });
    for (const Name of names) await client.compliance.invoke("Remove-ComplianceTag", { Identity: Name });
  });

  it("the regional redirect (when on) sends the client to the regional path, which it then keeps", async () => {
    emulator.setOptions({ complianceRedirect: true });
    const fabrikam = await clientFor(emulator, FABRIKAM);
    await fabrikam.compliance.invoke("Get-ComplianceTag");
    await fabrikam.compliance.invoke("Get-RetentionCompliancePolicy");
    const calls = emulator
      .requestLog()
      .filter((l) => l.tenantId === FABRIKAM.tenantId && l.route.startsWith("compliance"));
    expect(calls[0]!.status).toBe(302);
    expect(calls.slice(1).every((l) => l.status === 200 && l.path.startsWith("/region/"))).toBe(true);
    emulator.setOptions({ complianceRedirect: false });
    await fabrikam.close?.();
  });
});
