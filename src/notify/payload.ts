/**
 * Drift alert bodies (issue 19), one builder per receiver: a Microsoft Teams Adaptive Card, a Slack Block Kit message,
 * or a generic JSON document for PSA and ticketing tools. Pure. Every text from a tenant (display names, values,
 * error messages) has its control and bidi characters made visible (`safeText`) and is escaped for its format.
 */
import type { Issue } from "../errors";
import { safeText } from "../report/safe-text";
import { EXPIRY_NOTICE_DAYS, MISSING_PATH, TENANT_LEVEL, type RunChange } from "./history";

export type NotifyFormat = "teams" | "slack" | "json";

/** One `--notify` destination. `url` holds the webhook's secret (path or `sig=`): print `shown`, never `url`. */
export interface NotifyTarget {
  readonly format: NotifyFormat;
  readonly url: string;
  /** Scheme and host only, for messages. */
  readonly shown: string;
}

/** What one alert says: the changes since the previous run (or everything found, on a history's first run). */
export interface NotifyMessage {
  readonly runAt: string;
  readonly baselineVersion: string;
  readonly firstRun: boolean;
  readonly changes: readonly RunChange[];
}

/** The `schema` of the generic JSON body. */
export const NOTIFY_SCHEMA = "m365-baseline.notify/v1";

/** Lines a chat message lists before "… and N more" (Slack allows 50 blocks, Teams about 28 KB per card). */
export const MAX_CHAT_LINES = 40;

const PREFIX = /^(teams|slack|json)\+/i;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Parses a `--notify` value: an optional `teams+`/`slack+`/`json+` prefix, then an https URL (plain http only to
 * 127.0.0.1, localhost or [::1], for local receivers and tests); returns the target or the issue to report.
 */
export function parseNotifyTarget(spec: string): NotifyTarget | Issue {
  const prefix = PREFIX.exec(spec)?.[1]?.toLowerCase() as NotifyFormat | undefined;
  const raw = prefix ? spec.slice(prefix.length + 1) : spec;
  const refuse = (message: string, fix: string): Issue => ({ file: "command line", path: "--notify", message, fix });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("is not a URL", "give the webhook URL, e.g. --notify https://hooks.slack.com/services/…");
  }
  const shown = `${url.protocol}//${url.host}/…`;
  if (!(url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname))))
    return refuse(
      `${shown} is not an https URL`,
      "webhook URLs carry their secret in the URL, so only https is sent to (plain http only to 127.0.0.1/localhost)",
    );
  return { format: prefix ?? detectFormat(url), url: url.href, shown };
}

/**
 * The body format for a webhook URL: Teams for Workflows and (retired) connector webhooks, Slack for incoming webhooks,
 * generic JSON otherwise. https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
 * (Workflows URLs are on `*.logic.azure.com` or, newer, `…/powerautomate/automations/direct/workflows/…`),
 * https://api.slack.com/messaging/webhooks (`https://hooks.slack.com/services/…`).
 */
export function detectFormat(url: URL): NotifyFormat {
  const host = url.hostname.toLowerCase();
  if (host.endsWith(".webhook.office.com") || host.endsWith(".logic.azure.com") || url.pathname.includes("/workflows/"))
    return "teams";
  if (host === "hooks.slack.com") return "slack";
  return "json";
}

/** The request body for `format`. */
export function notifyPayload(format: NotifyFormat, message: NotifyMessage): unknown {
  return format === "teams" ? teamsPayload(message) : format === "slack" ? slackPayload(message) : jsonPayload(message);
}

/** The generic body: every change as data (strings inert: control and bidi characters as `\uXXXX`). */
export function jsonPayload(message: NotifyMessage): unknown {
  return {
    schema: NOTIFY_SCHEMA,
    runAt: message.runAt,
    baselineVersion: safeText(message.baselineVersion),
    firstRun: message.firstRun,
    summary: counts(message.changes),
    changes: message.changes.map((c) => inert(c)),
  };
}

/**
 * A Teams message with one Adaptive Card (1.4), as "Create incoming webhooks with Workflows for Microsoft Teams" posts
 * it: https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook and
 * https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference#adaptive-card.
 * TextBlocks render a markdown subset (bold, italic, lists, `[text](url)` links:
 * https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/text-features), so they hold only our own text;
 * tenant text goes in TextRuns, which render no markdown at all
 * (https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/text-run: "Markdown is not supported"): a display
 * name cannot add a link or formatting, and is shown exactly (no backslashes left over from escaping).
 */
export function teamsPayload(message: NotifyMessage): unknown {
  const body: unknown[] = [
    { type: "TextBlock", text: title(message), weight: "Bolder", size: "Medium", wrap: true },
    { type: "TextBlock", text: summaryLine(message.changes), wrap: true },
    { type: "TextBlock", text: runLine(message), isSubtle: true, spacing: "None", wrap: true },
  ];
  for (const section of sections(message.changes)) {
    body.push({ type: "TextBlock", text: `**${section.heading}**`, wrap: true, spacing: "Medium" });
    for (const line of section.lines)
      body.push({ type: "RichTextBlock", inlines: [{ type: "TextRun", text: line }], spacing: "Small" });
  }
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
        },
      },
    ],
  };
}

/**
 * A Slack incoming-webhook message: `text` (the notification fallback) and Block Kit `blocks`
 * (https://api.slack.com/messaging/webhooks, https://api.slack.com/reference/block-kit/blocks). Tenant text is mrkdwn
 * with `&`, `<` and `>` escaped, Slack's control characters for links and mentions
 * (https://api.slack.com/reference/surfaces/formatting#escaping): a display name cannot ping @channel or add a link.
 */
export function slackPayload(message: NotifyMessage): unknown {
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: title(message).slice(0, 150) } },
    { type: "section", text: { type: "mrkdwn", text: slackEscape(summaryLine(message.changes)) } },
  ];
  for (const section of sections(message.changes)) {
    // A section's text holds at most 3,000 characters: long lists continue in the next section.
    let text = `*${section.heading}*`;
    for (const line of section.lines) {
      const next = `• ${slackEscape(line)}`;
      if (text.length + next.length + 1 > 3000) {
        blocks.push({ type: "section", text: { type: "mrkdwn", text } });
        text = next;
      } else text = `${text}\n${next}`;
    }
    blocks.push({ type: "section", text: { type: "mrkdwn", text } });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: slackEscape(runLine(message)) }] });
  return { text: slackEscape(`${title(message)}: ${summaryLine(message.changes)}`), blocks };
}

/** `text` with Slack's three control characters as HTML entities (the only ones Slack decodes). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function title(message: NotifyMessage): string {
  return message.firstRun ? "m365-baseline check: first run of this history" : "m365-baseline check: changes";
}

function runLine(message: NotifyMessage): string {
  return safeText(`run ${message.runAt}, baseline ${message.baselineVersion}`);
}

function counts(changes: readonly RunChange[]) {
  const n = (kind: RunChange["kind"]) => changes.filter((c) => c.kind === kind).length;
  return {
    newDrift: n("newDrift"),
    resolvedDrift: n("resolvedDrift"),
    newErrors: n("newError"),
    expiringExceptions: n("expiringException"),
  };
}

function summaryLine(changes: readonly RunChange[]): string {
  const c = counts(changes);
  return (
    `${c.newDrift} new drift, ${c.resolvedDrift} resolved, ${c.newErrors} new error(s), ` +
    `${c.expiringExceptions} exception(s) ending within ${EXPIRY_NOTICE_DAYS} days`
  );
}

const HEADINGS: Record<RunChange["kind"], string> = {
  newDrift: "New drift",
  resolvedDrift: "Drift resolved",
  newError: "New errors",
  expiringException: `Exceptions ending within ${EXPIRY_NOTICE_DAYS} days`,
};

/** The changes as plain (unescaped, control-safe) lines under their headings, at most `MAX_CHAT_LINES` in all. */
function sections(changes: readonly RunChange[]): { heading: string; lines: string[] }[] {
  const out: { heading: string; lines: string[] }[] = [];
  const shown = changes.slice(0, MAX_CHAT_LINES);
  for (const change of shown) {
    const heading = HEADINGS[change.kind];
    if (out.at(-1)?.heading !== heading) out.push({ heading, lines: [] });
    out.at(-1)!.lines.push(line(change));
  }
  if (changes.length > shown.length)
    out.push({ heading: "More", lines: [`… and ${changes.length - shown.length} more change(s) in the history file`] });
  return out;
}

function line(change: RunChange): string {
  const where = `${safeText(change.tenant)} (${safeText(change.stack)})`;
  const control = change.controlId === TENANT_LEVEL ? "" : `${change.controlId} ${safeText(change.title)}: `;
  switch (change.kind) {
    case "newDrift":
      return change.path === MISSING_PATH
        ? `${where} ${control}missing`
        : `${where} ${control}${safeText(change.path)}: desired ${value(change.desired)}, live ${value(change.live)}`;
    case "resolvedDrift":
      return `${where} ${control}${change.path === MISSING_PATH ? "missing" : safeText(change.path)} (since ${change.firstSeen})`;
    case "newError":
      return `${where} ${control}${clip(safeText(change.message), 300)}`;
    case "expiringException":
      return `${where} ${control}exception ends ${change.expires} (${change.daysLeft} day(s) left): ${clip(safeText(change.reason), 200)}`;
  }
}

function value(v: unknown): string {
  return v === undefined ? "(none)" : clip(safeText(JSON.stringify(v)), 200);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `value` with every string made control-safe, recursively. */
function inert(value: unknown): unknown {
  if (typeof value === "string") return safeText(value);
  if (Array.isArray(value)) return value.map(inert);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [safeText(k), inert(v)]));
  return value;
}
