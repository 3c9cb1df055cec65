import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(__dirname, "app"),
      "~db": path.resolve(__dirname, "db"),
      "~emails": path.resolve(__dirname, "emails"),
    },
  },
  esbuild: { jsx: "automatic" },
  test: {
    environment: "node",
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "app",
          include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}"],
          exclude: ["tests/integration/server/**"],
        },
      },
      {
        // Tests that start the real `node server.mjs` against the production build (made once here).
        // They measure memory and timing, so they run after the rest, one file at a time.
        extends: true,
        test: {
          name: "server",
          include: ["tests/integration/server/**/*.test.ts", "tests/drills/**/*.test.ts"],
          globalSetup: ["tests/support/ensure-build.ts"],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
