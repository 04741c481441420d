// A Node.js script-mode function: greets each argument it is given.
// Deploy with --handler greet.main and call .../greet.main/sandbox?name=Ada&other=Alan
const names = process.argv.slice(2);
if (names.length === 0) {
  console.error("usage: greet.js NAME...");
  process.exit(1);
}
console.log(names.map((n) => `hello, ${n}`).join(" "));
