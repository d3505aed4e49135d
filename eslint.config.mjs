// ESLint: typescript-eslint's recommended rules, plus Pulumi's two rules against Outputs inside template literals
// (`${output}` renders "Calling [toString] on an [Output<T>] is not supported"; use pulumi.interpolate). Those two
// need type information, so the TypeScript project service is on for program code only.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

const programCode = ["index.ts", "stacks/**/*.ts", "components/**/*.ts", "config/**/*.ts", "bootstrap/**/*.ts"];

export default tseslint.config(
    { ignores: ["node_modules/**", "bin/**", "**/node_modules/**", ".build/**", "docs/**", "test/fixtures/**/bin/**"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.js", "**/*.cjs"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        // Destructuring a key out into a rest object (`({ where: _where, ...rule }) => rule`) is how a copy without that
        // key is written; the discarded binding is not an unused variable.
        rules: { "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }] },
    },
    {
        // Tests read recorded plan JSON and policy inputs, whose shapes are the provider's, not this repo's types.
        files: ["test/**/*.ts"],
        rules: { "@typescript-eslint/no-explicit-any": "off" },
    },
    {
        files: programCode,
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
        },
    },
);
