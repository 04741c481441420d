// The test console's "Arguments" box: a shell-like, space-separated list, so
// `10 5` is ["10", "5"] and `"hello world" 3` keeps its quoted space.

export function parseArgs(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let started = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

/** The query string the clone's GET routes take: a=..&b=.. in argv order. */
export function argsToQuery(args: string[]): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return args
    .map((value, i) => `${letters[i] ?? `arg${i}`}=${encodeURIComponent(value)}`)
    .join('&');
}
