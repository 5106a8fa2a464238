import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: ".",
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Pulumi's runtime keeps global state; one file per worker process keeps mocks isolated.
    pool: "forks",
  },
});
