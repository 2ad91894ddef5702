// Spectral with the OWASP API Security ruleset, loaded from node_modules so that
// linting needs no network (test/openapi-lint.test.ts runs it on the live document).
// Rules this API does not follow are off, each with why.
import owasp from "@stoplight/spectral-owasp-ruleset";

/** The operations that need no token and are not rate limited: the probes and this document. */
const PUBLIC_OPERATIONS = ["/health", "/ready", "/api/v1/openapi.json"].map(
  (path) => `**#/paths/${path.replaceAll("/", "~1")}`,
);

export default {
  extends: [owasp],
  rules: {
    // Free text (titles, descriptions, search text, cursors, problem sentences) has no format or pattern to state.
    "owasp:api4:2023-string-restricted": "off",
  },
  overrides: [
    {
      files: PUBLIC_OPERATIONS,
      rules: {
        // Public by design: orchestrators' probes and the API's own description need no token.
        "owasp:api2:2023-read-restricted": "off",
        // They take no token, so they never answer 401.
        "owasp:api8:2023-define-error-responses-401": "off",
        // They are not rate limited (`config: { rateLimit: false }`): no 429, no rate-limit headers.
        "owasp:api4:2023-rate-limit-responses-429": "off",
        "owasp:api4:2023-rate-limit": "off",
        // They take no input, so no input is ever invalid.
        "owasp:api8:2023-define-error-validation": "off",
      },
    },
    {
      files: [`**#/paths/${"/api/v1/tasks/events".replaceAll("/", "~1")}`],
      rules: {
        // An event stream has no length, and Last-Event-ID is read leniently: any id the
        // server did not mint (of any length; Node caps header sizes) answers `reset`.
        "owasp:api4:2023-string-limit": "off",
        // It takes no body or query, and a bad Last-Event-ID is a `reset`, not a 4xx.
        "owasp:api8:2023-define-error-validation": "off",
      },
    },
    {
      files: ["**#/components/schemas/Problem"],
      rules: {
        // Written by the server, never read from a client: its sentences and list grow with the input, which BODY_LIMIT_BYTES bounds.
        "owasp:api4:2023-string-limit": "off",
        "owasp:api4:2023-array-limit": "off",
      },
    },
  ],
};
