import { z } from "zod";

/** The body of every REST error (API.md "Errors"). */
export const problemSchema = z.object({
  detail: z.string().meta({ description: "A human-readable sentence saying what went wrong." }),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .meta({ description: "Validation failures only: one entry per broken rule." }),
});
