/**
 * The `m365-baseline` command line: one table of commands, each loaded only when used, and one place
 * that turns errors into exit codes and one-line messages (never a stack trace).
 */
import { Command, CommanderError } from "commander";
import { GraphRequestError, InternalError, ValidationError } from "../errors";
import { safeLines } from "../report/safe-text";

/** A command module: registers its sub-command; its action resolves to the process exit code. */
export interface CommandModule {
  register(program: Command, setExitCode: (code: number) => void): void;
}

// One line per command; each module lives in ./commands/<name>.ts and is required lazily.
const commands: Record<string, () => CommandModule> = {
  validate: () => (require("./commands/validate") as { command: CommandModule }).command,
  plan: () => (require("./commands/plan") as { command: CommandModule }).command,
  check: () => (require("./commands/check") as { command: CommandModule }).command,
  adopt: () => (require("./commands/adopt") as { command: CommandModule }).command,
  consent: () => (require("./commands/consent") as { command: CommandModule }).command,
  tenants: () => (require("./commands/tenants") as { command: CommandModule }).command,
  demo: () => (require("./commands/demo") as { command: CommandModule }).command,
  emulator: () => (require("./commands/emulator") as { command: CommandModule }).command,
  promote: () => (require("./commands/promote") as { command: CommandModule }).command,
  fleet: () => (require("./commands/fleet") as { command: CommandModule }).command,
  report: () => (require("./commands/report") as { command: CommandModule }).command,
  review: () => (require("./commands/review") as { command: CommandModule }).command,
  schema: () => (require("./commands/schema") as { command: CommandModule }).command,
};

/** Runs the CLI with `argv` (as `process.argv`) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command("m365-baseline")
    .description("Typed Microsoft 365 / Entra ID baselines, applied to every customer tenant as Pulumi stacks.")
    .exitOverride()
    .showHelpAfterError();
  for (const load of Object.values(commands)) load().register(program, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    return reportError(error);
  }
}

/**
 * Prints one actionable message for `error` on stderr and returns its exit code; the message passes the sanitiser,
 * since it may quote Graph's text or a stack value.
 */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
  if (error instanceof ValidationError) {
    process.stderr.write(`${safeLines(error.message)}\n`);
    return 1;
  }
  if (error instanceof GraphRequestError || error instanceof InternalError) {
    process.stderr.write(`m365-baseline: ${safeLines(error.message)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `m365-baseline: ${safeLines(message)} — this is a bug in m365-baseline; please report it with this message\n`,
  );
  return 1;
}
