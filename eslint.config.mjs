// ESLint 9 flat config: @eslint/js recommended + typescript-eslint recommended (syntax only, no type
// information, so `npm run lint` stays fast). Formatting is Prettier's job (.prettierrc.json); `max-len`
// only catches what Prettier cannot break.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      // The Go module of the real Pulumi engine's CLI.
      "src/engine/cli/",
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: ["**/*.ts", "**/*.mts"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: {
      // Lazy `require` is deliberate: the CLI loads a command's heavy modules (Pulumi, the Graph client, identity) only
      // when that command runs, baselines are loaded by path, and the serialized provider shim must capture nothing.
      // TypeScript's CommonJS `import()` is asynchronous, so it cannot replace them. Instead of
      // no-require-imports, a require whose value is used must say its type (`as typeof import("...")` or a
      // declared shape), so no untyped `any` leaks out of it; a bare `require("x");` (loaded for timing) is fine.
      "@typescript-eslint/no-require-imports": "off",
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "CallExpression[callee.type='Identifier'][callee.name='require']" +
            ":not(TSAsExpression > CallExpression):not(ExpressionStatement > CallExpression)",
          message: 'Type what require() returns: require("x") as typeof import("x") (or a declared shape).',
        },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The CLI's and the dynamic provider's CommonJS entry points, run by node as they are.
    files: ["src/**/*.js"],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
  {
    // Lines Prettier cannot break (long strings, template literals, URLs, regular expressions) may pass 120; comments may not.
    files: ["**/*.ts", "**/*.mts", "**/*.js"],
    rules: {
      "max-len": [
        "error",
        {
          code: 120,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
          ignoreComments: false,
        },
      ],
    },
  },
);
