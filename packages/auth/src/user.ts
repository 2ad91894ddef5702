/** Who a verified token speaks for. `id` is the `sub` claim; authorize on it alone. */
export interface AuthUser {
  id: string;
  /** The token's `exp`, in seconds since the epoch: long-lived streams end there. */
  expiresAt: number;
  email?: string;
  name?: string;
}
