import { dts } from "rollup-plugin-dts";

/**
 * The client's published declarations: one file per entry point with the router's
 * types inlined from @tasks/api's sources. Only the libraries a consumer installs stay
 * imports; the server's own packages are external too, so that a declaration that
 * still reached them would show as an import the consumer cannot resolve
 * (test/consumer.test.ts) instead of pulling the database's types in.
 */
const libraries = [/^@trpc\//, /^@tanstack\//, /^react(\/|$)/];
const serverPackages = [/^@tasks\/(auth|db)(\/|$)/, /^@prisma\//, /^zod(\/|$)/];

export default {
  input: { index: "src/index.ts", react: "src/react.ts" },
  output: {
    dir: "dist",
    format: "es",
    entryFileNames: "[name].d.ts",
    chunkFileNames: "[name]-[hash].d.ts",
  },
  external: [...libraries, ...serverPackages],
  plugins: [
    dts({
      respectExternal: true,
      tsconfig: "tsconfig.json",
      compilerOptions: { preserveSymlinks: false },
    }),
  ],
};
