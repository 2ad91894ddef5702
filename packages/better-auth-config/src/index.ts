export {
  createAuth,
  migrateAuthDatabase,
  type AuthConfigOptions,
  type AuthDatabase,
  type AuthJwtAlgorithm,
  type TasksAuth,
} from "./auth.ts";
export { developmentSecret } from "./secret.ts";
