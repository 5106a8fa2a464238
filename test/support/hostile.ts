/**
 * Hostile texts and the checks that Markdown or terminal output carries them inertly, for
 * test/reliability/hostile-outputs.test.ts.
 */
import type { CheckReport } from "../../src/report/types";
import type { ReviewResult } from "../../src/review";

/** Texts a pull request, a tenant admin or a broken server could put into a name, a value, a reason or an error. */
export const HOSTILE: readonly string[] = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<!-- hides the rest of the comment",
  "<details><summary>open me</summary>",
  "@octocat and @github/security-team please approve",
  "[click me](https://evil.example/phish)",
  "![pixel](https://evil.example/track.png)",
  "<https://evil.example>",
  "https://evil.example/x and www.evil.example",
  "`code` then ``more`` and ``` fence",
  "a | b | c",
  "line one\nline two\r\nline three\rfour",
  "\u001b[31mred\u001b[0m and \u001b]0;title\u0007 and \u001bc",
  "\u202eevil\u202c and \u2066isolate\u2069 \u200f\u061c",
  "\u009b31m C1 CSI, \u0085 NEL, \u0000 NUL, \u007f DEL, \u0008 BS",
  "**bold** _em_ ~~strike~~ # not a heading",
  "trailing backslash \\",
  "&lt;b&gt; entity &#64;octocat",
];

/** Every character that must never reach a terminal raw (newline allowed: our own line breaks). */
export const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * The Markdown outside its code spans, each span replaced by `C` (CommonMark: a backtick run opens a span closed by
 * the next run of the same length on the line; an unmatched run is literal text and stays).
 */
export function outsideCode(md: string): string {
  let out = "";
  let i = 0;
  while (i < md.length) {
    if (md[i] !== "`") {
      out += md[i];
      i++;
      continue;
    }
    let n = 0;
    while (md[i + n] === "`") n++;
    let j = i + n;
    let close = -1;
    while (j < md.length && md[j] !== "\n") {
      if (md[j] !== "`") {
        j++;
        continue;
      }
      let m = 0;
      while (md[j + m] === "`") m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      out += md.slice(i, i + n);
      i += n;
    } else {
      out += "C";
      i = close + n;
    }
  }
  return out;
}

/** What Markdown outside code spans must not contain, by name. */
export const ACTIVE_MARKDOWN: Readonly<Record<string, RegExp>> = {
  "an HTML tag or comment": /<[A-Za-z!/?]/,
  "an @mention": /(^|[^\w`])@[A-Za-z0-9]/,
  "a link or image": /\]\(|!\[/,
  "an autolink": /https?:|www\./i,
  "a control or bidi character": RAW_CONTROL,
};

/** The number of unescaped `|` on each line of each table, which must equal its header's. */
export function tableShapes(md: string): { header: number; row: number; line: string }[] {
  const shapes: { header: number; row: number; line: string }[] = [];
  let header: number | undefined;
  for (const line of md.split("\n")) {
    if (!line.startsWith("|")) {
      header = undefined;
      continue;
    }
    const pipes = (line.match(/(?<!\\)\|/g) ?? []).length;
    header ??= pipes;
    shapes.push({ header, row: pipes, line });
  }
  return shapes;
}

/** A review of one tenant whose every pull-request-controlled text is `text`. */
export function hostileReview(text: string): ReviewResult {
  const change = {
    kind: "weakening" as const,
    controlId: text,
    object: text,
    path: text,
    summary: text,
    before: text,
    after: { reason: text },
  };
  return {
    base: text,
    exitCode: 3,
    tenants: [
      { stack: text, changes: [change], weakenings: 1, strengthenings: 0, unexcused: [change], newPermissions: [] },
      {
        stack: `${text}-2`,
        changes: [],
        weakenings: 0,
        strengthenings: 0,
        unexcused: [],
        newPermissions: [],
        error: { side: "base", message: text },
      },
    ],
  };
}

/** A check report whose every tenant-controlled text (names, values, reasons, errors) is `text`. */
export function hostileReport(text: string): CheckReport {
  const control = { severity: "high" as const, resources: [], differences: [] };
  return {
    schemaVersion: 1,
    generatedAt: "2026-11-23T00:00:00.000Z",
    baselineVersion: "abc1234",
    summary: { tenants: 2, compliant: 0, drifted: 1, errors: 1 },
    tenants: [
      {
        stack: "contoso",
        tenantId: "6b0c3a52-7a3e-4d0b-9f0e-1c2d3e4f5a61",
        displayName: text,
        status: "drifted",
        controls: [
          {
            ...control,
            controlId: "CA01",
            title: "Block legacy authentication",
            status: "drifted",
            differences: [{ path: "state", desired: "enabled", live: text }],
          },
          {
            ...control,
            controlId: "CA02",
            title: "Require MFA",
            status: "excepted",
            exception: { reason: text, expires: "2026-12-01", expiresSoon: true },
          },
          { ...control, controlId: "CA03", title: "Require MFA for admins", status: "error", message: text },
        ],
        unmanaged: [{ type: "conditionalAccessPolicy", id: "p1", displayName: text, label: "unmanaged", detail: text }],
        requests: 9,
        durationMs: 10,
      },
      {
        stack: "fabrikam",
        tenantId: "9d8e7f60-1b2c-4d3e-8f4a-5b6c7d8e9f02",
        displayName: "Fabrikam Inc",
        status: "error",
        controls: [],
        unmanaged: [],
        error: text,
        requests: 1,
        durationMs: 10,
      },
    ],
  };
}
