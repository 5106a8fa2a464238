/**
 * A file a baseline or stack refers to must be a regular file inside the repository: no absolute path, no `..`,
 * and no symbolic link that leads out of it (a `customCSS` linked to /etc/passwd would upload that file to the
 * tenant's sign-in page), checked on the real path after every link is resolved.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

/** The resolved path of `path` under `root`, or why it is refused (message and fix). */
export function repoFile(
  root: string,
  path: string,
): { ok: true; full: string } | { ok: false; message: string; fix: string } {
  const outside = {
    ok: false as const,
    message: `path '${path}' points outside the repository`,
    fix: "use a path relative to the repository root, e.g. baselines/assets/logo.png",
  };
  if (isAbsolute(path) || relative(root, resolve(root, path)).startsWith("..")) return outside;
  const full = resolve(root, path);
  if (!existsSync(full))
    return {
      ok: false,
      message: `file not found: ${path}`,
      fix: "add the file to the repository or correct the path (relative to the repository root)",
    };
  const real = realpathSync(full);
  const realRoot = realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    return {
      ok: false,
      message: `${path} is a link to ${real}, outside the repository`,
      fix: "commit the file itself inside the repository instead of a symbolic link",
    };
  }
  if (!statSync(real).isFile())
    return {
      ok: false,
      message: `${path} is not a regular file`,
      fix: "point at a file (not a folder, device or pipe) inside the repository",
    };
  return { ok: true, full: real };
}

/**
 * Reads the file `full` unless it holds more than `maxBytes`, reading at most one byte past the cap, so a huge
 * or growing file is refused without being loaded; `size` is the larger of its stat size and the bytes seen.
 */
export function readCapped(full: string, maxBytes: number): { ok: true; bytes: Buffer } | { ok: false; size: number } {
  const fd = openSync(full, "r");
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { ok: false, size };
    // Only the bytes read are exposed, so the buffer need not be zeroed.
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    if (read > maxBytes) return { ok: false, size: Math.max(size, read) };
    return { ok: true, bytes: buffer.subarray(0, read) };
  } finally {
    closeSync(fd);
  }
}
