import { describe, expect, it } from "vitest";
import type { Issue } from "../../../src/errors";
import type { RunChange } from "../../../src/notify/history";
import {
  detectFormat,
  jsonPayload,
  MAX_CHAT_LINES,
  notifyPayload,
  parseNotifyTarget,
  slackEscape,
  slackPayload,
  teamsPayload,
  type NotifyMessage,
  type NotifyTarget,
} from "../../../src/notify/payload";

// A display name as someone with admin rights in a customer tenant could set it: a Slack mention and link, a
// markdown link, an ANSI escape, a newline that forges a line, and a bidi override.
const HOSTILE = "<!channel> <https://evil.example|click> [login](https://evil.example) & \u001b[31mred\nforged\u202e";

const drift: RunChange = {
  kind: "newDrift",
  stack: "contoso",
  tenant: "Contoso Ltd",
  controlId: "CA02",
  title: "Require MFA for all users",
  path: "state",
  desired: "enabled",
  live: "disabled",
  firstSeen: "2026-12-04T02:00:00.000Z",
};
const hostile: RunChange = {
  kind: "newDrift",
  stack: "fabrikam",
  tenant: HOSTILE,
  controlId: "BRAND01",
  title: "Company branding",
  path: "signInPageText",
  desired: "Authorised users only.",
  live: HOSTILE,
  firstSeen: "2026-12-04T02:00:00.000Z",
};
const message = (changes: RunChange[], firstRun = false): NotifyMessage => ({
  runAt: "2026-12-04T02:00:00.000Z",
  baselineVersion: "abc1234",
  firstRun,
  changes,
});

const target = (spec: string) => parseNotifyTarget(spec) as NotifyTarget;

describe("URL → format", () => {
  it.each<[string, string]>([
    ["https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456", "teams"],
    ["https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=SECRET", "teams"],
    [
      "https://default0123.08.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=x",
      "teams",
    ],
    ["https://hooks.slack.com/services/T000/B000/XXXX", "slack"],
    ["https://psa.example.com/api/alerts", "json"],
    ["https://hooks.slack.com.evil.example/services/T/B/X", "json"],
  ])("%s → %s", (url, format) => {
    expect(detectFormat(new URL(url))).toBe(format);
    expect(target(url).format).toBe(format);
  });

  it("a prefix overrides detection and is not part of the URL", () => {
    expect(target("slack+https://chat.example.com/hook")).toEqual({
      format: "slack",
      url: "https://chat.example.com/hook",
      shown: "https://chat.example.com/…",
    });
    expect(target("teams+https://hooks.slack.com/x").format).toBe("teams");
    expect(target("JSON+https://hooks.slack.com/x").format).toBe("json");
  });

  it("only https, or http to the loopback host; the refusal never shows the URL's secret path", () => {
    expect(target("http://127.0.0.1:4000/hook").format).toBe("json");
    expect(target("http://localhost:4000/hook").format).toBe("json");
    const refused = parseNotifyTarget("http://hooks.slack.com/services/T000/B000/SECRET") as Issue;
    expect(refused).toMatchObject({ file: "command line", path: "--notify" });
    expect(refused.message).toBe("http://hooks.slack.com/… is not an https URL");
    expect(JSON.stringify(refused)).not.toContain("SECRET");
    expect((parseNotifyTarget("not a url") as Issue).message).toBe("is not a URL");
    expect((parseNotifyTarget("file:///etc/passwd") as Issue).message).toMatch(/is not an https URL/);
  });
});

describe("Teams payload", () => {
  it("is a message with one Adaptive Card 1.4", () => {
    const body = teamsPayload(message([drift])) as {
      type: string;
      attachments: { contentType: string; content: { type: string; version: string; body: unknown[] } }[];
    };
    expect(body.type).toBe("message");
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(body.attachments[0]!.content).toMatchObject({ type: "AdaptiveCard", version: "1.4" });
    expect(body.attachments[0]!.content.body).toEqual([
      { type: "TextBlock", text: "m365-baseline check: changes", weight: "Bolder", size: "Medium", wrap: true },
      {
        type: "TextBlock",
        text: "1 new drift, 0 resolved, 0 new error(s), 0 exception(s) ending within 14 days",
        wrap: true,
      },
      {
        type: "TextBlock",
        text: "run 2026-12-04T02:00:00.000Z, baseline abc1234",
        isSubtle: true,
        spacing: "None",
        wrap: true,
      },
      { type: "TextBlock", text: "**New drift**", wrap: true, spacing: "Medium" },
      {
        type: "RichTextBlock",
        inlines: [
          {
            type: "TextRun",
            text: 'Contoso Ltd (contoso) CA02 Require MFA for all users: state: desired "enabled", live "disabled"',
          },
        ],
        spacing: "Small",
      },
    ]);
  });

  it("puts tenant text only in TextRuns (no markdown), with control and bidi characters made visible", () => {
    const card = (
      teamsPayload(message([hostile])) as { attachments: { content: { body: Record<string, unknown>[] } }[] }
    ).attachments[0]!.content.body;
    const blocks = card.filter((b) => b["type"] === "TextBlock").map((b) => String(b["text"]));
    for (const text of blocks) expect(text).not.toContain("evil");
    const runs = card.filter((b) => b["type"] === "RichTextBlock");
    expect(runs).toHaveLength(1);
    const text = (runs[0]!["inlines"] as { text: string }[])[0]!.text;
    expect(
      text.startsWith(
        "<!channel> <https://evil.example|click> [login](https://evil.example) & \\u001b[31mred\\u000aforged\\u202e (fabrikam)",
      ),
    ).toBe(true);
    // eslint-disable-next-line no-control-regex -- asserting that no control character is left
    expect(text).not.toMatch(/[\u0000-\u001f\u202e]/);
  });
});

describe("Slack payload", () => {
  it("has a fallback text and Block Kit blocks", () => {
    expect(slackPayload(message([drift], true))).toEqual({
      text: "m365-baseline check: first run of this history: 1 new drift, 0 resolved, 0 new error(s), 0 exception(s) ending within 14 days",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "m365-baseline check: first run of this history" } },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: "1 new drift, 0 resolved, 0 new error(s), 0 exception(s) ending within 14 days",
          },
        },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: '*New drift*\n• Contoso Ltd (contoso) CA02 Require MFA for all users: state: desired "enabled", live "disabled"',
          },
        },
        { type: "context", elements: [{ type: "mrkdwn", text: "run 2026-12-04T02:00:00.000Z, baseline abc1234" }] },
      ],
    });
  });

  it("escapes &, < and > so a display name cannot mention @channel or add a link, and keeps lines single", () => {
    const body = slackPayload(message([hostile])) as { text: string; blocks: { text?: { text: string } }[] };
    const line = body.blocks[2]!.text!.text.split("\n")[1]!;
    expect(line).toBe(
      '• &lt;!channel&gt; &lt;https://evil.example|click&gt; [login](https://evil.example) &amp; \\u001b[31mred\\u000aforged\\u202e (fabrikam) BRAND01 Company branding: signInPageText: desired "Authorised users only.", live "&lt;!channel&gt; &lt;https://evil.example|click&gt; [login](https://evil.example) &amp; \\u001b[31mred\\nforged\\u202e"',
    );
    for (const b of body.blocks) if (b.text) expect(b.text.text).not.toMatch(/<|>|&(?!amp;|lt;|gt;)/);
    expect(slackEscape("a & <b> &amp;")).toBe("a &amp; &lt;b&gt; &amp;amp;");
  });

  it("lists at most MAX_CHAT_LINES changes and says how many more, in sections of at most 3,000 characters", () => {
    const many = Array.from({ length: MAX_CHAT_LINES + 5 }, (_, i) => ({
      ...drift,
      path: `p${i}`,
      live: "x".repeat(150),
    }));
    const body = slackPayload(message(many)) as { blocks: { type: string; text?: { text: string } }[] };
    const bullets = body.blocks.flatMap((b) => (b.text?.text ?? "").split("\n").filter((l) => l.startsWith("• ")));
    expect(bullets).toHaveLength(MAX_CHAT_LINES + 1);
    expect(bullets.at(-1)).toBe("• … and 5 more change(s) in the history file");
    for (const b of body.blocks) expect((b.text?.text ?? "").length).toBeLessThanOrEqual(3000);
    expect(body.blocks.length).toBeLessThanOrEqual(50);
  });
});

describe("JSON payload", () => {
  it("carries every change as data with counts", () => {
    const resolved: RunChange = { ...drift, kind: "resolvedDrift", firstSeen: "2026-12-01T02:00:00.000Z" } as RunChange;
    expect(jsonPayload(message([drift, resolved]))).toEqual({
      schema: "m365-baseline.notify/v1",
      runAt: "2026-12-04T02:00:00.000Z",
      baselineVersion: "abc1234",
      firstRun: false,
      summary: { newDrift: 1, resolvedDrift: 1, newErrors: 0, expiringExceptions: 0 },
      changes: [drift, resolved],
    });
    expect(notifyPayload("json", message([drift]))).toEqual(jsonPayload(message([drift])));
  });

  it("makes control and bidi characters in strings visible", () => {
    const body = jsonPayload(message([hostile])) as { changes: { tenant: string }[] };
    expect(body.changes[0]!.tenant).toBe(
      "<!channel> <https://evil.example|click> [login](https://evil.example) & \\u001b[31mred\\u000aforged\\u202e",
    );
  });
});
