export {
  errorCatalogue,
  RETRY_AFTER_SECONDS,
  type ErrorKind,
  type ErrorKindName,
  type FieldIssue,
} from "./catalogue.ts";
export { authProblem, problemOfTRPCError } from "./classify.ts";
export {
  problem,
  ProblemError,
  restBodyOf,
  trpcEnvelopeOf,
  trpcErrorOf,
  type Problem,
  type TrpcCalls,
} from "./problem.ts";
export { problemSchema } from "./problem-schema.ts";
