/** Who a verified token speaks for. `id` is the `sub` claim; authorize on it alone. */
export interface AuthUser {
  id: string;
  email?: string;
  name?: string;
}
