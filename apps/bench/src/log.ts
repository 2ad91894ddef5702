/** Progress lines on stdout; the lint rule keeps console.log out of the code. */
export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
