"use client";
import { jwtClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

/** Better Auth in the browser, on this origin's /api/auth. */
export const authClient = createAuthClient({ plugins: [jwtClient()] });
