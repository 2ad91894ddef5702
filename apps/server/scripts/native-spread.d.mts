import type { Plugin } from "esbuild";

export const REPLACED_HELPER: string;
export const NATIVE_HELPER: string;
export const ACCESSOR_SYNTAX: RegExp;
export const nativeSpread: Plugin;
