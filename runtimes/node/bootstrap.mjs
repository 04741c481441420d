// Stratus's Node.js runtime: the guest side of AWS Lambda's Runtime API.
//
// Started once per instance with AWS_LAMBDA_RUNTIME_API=host:port, LAMBDA_TASK_ROOT (the
// code, read-only), _HANDLER ("module.function", or the entry file for script mode) and
// STRATUS_MODE (handler | script). It loads the function once, then loops: GET the next
// event, run it, POST the response or a Lambda-shaped error.
//
// - handler mode: handler(event, context), sync or async (a returned promise is awaited).
// - script mode (the clone's semantics): the event is {"args": [...]}; the entry file runs
//   in a child node process with those argv, and the answer is
//   {status, stdout, stderr, timeout, durationMs}. Node cannot fork an initialised
//   interpreter as Python does, so this costs a process start. Where there are no
//   processes to start (Nanos: STRATUS_SCRIPT_IN_PROCESS), it runs in a worker thread of
//   this process instead, with its own argv, output streams and exit code.
//
// Built-in modules only.
import net from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const OUTPUT_CAP = 1 << 20;
const [host, port] = (() => {
  const address = process.env.AWS_LAMBDA_RUNTIME_API || '';
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
})();
// A minimal HTTP/1.1 client for the Runtime API on one kept-alive socket: node:http's
// per-request machinery costs more than a trivial handler. It speaks only to Stratus's own
// Runtime API server, which always sends Content-Length, and answers pipelined requests
// in order.
class RuntimeApi {
  constructor() {
    this.socket = null;
    this.buffer = Buffer.alloc(0);
    this.waiters = [];  // one per request sent and not yet answered, in order
  }

  connect() {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host, port }, () => {
        socket.off('error', reject);
        resolve();
      });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.on('data', (chunk) => {
        this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
        this.parse();
      });
      socket.on('error', (error) => this.fail(error));
      socket.on('close', () => {
        this.socket = null;
        this.fail(new Error('the Runtime API closed the connection'));
      });
      this.socket = socket;
    });
  }

  parse() {
    while (this.waiters.length && this.parseOne());
  }

  parseOne() {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return false;
    const headers = {};
    const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(lines[0].split(' ')[1] || 0);
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] || 0);
    if (this.buffer.length < end + 4 + length) return false;
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString();
    this.buffer = this.buffer.subarray(end + 4 + length);
    this.waiters.shift().resolve({ status, headers, body });
    return true;
  }

  fail(error) {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  static request(method, route, body, headers = {}) {
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
    let head = `${method} ${route} HTTP/1.1\r\nHost: runtime\r\nContent-Length: ${payload.length}\r\n`;
    if (payload.length) head += 'Content-Type: application/json\r\n';
    // Header values in printable ASCII only (an error type may be any string).
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${String(value).replace(/[^\x20-\x7e]/g, '?').slice(0, 256)}\r\n`;
    head += '\r\n';
    return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
  }

  // Sends the requests in one write (headers, bodies and all leave in the same segment);
  // resolves to their answers, in order.
  async send(...requests) {
    if (!this.socket) await this.connect();
    const answers = requests.map(() => new Promise((resolve, reject) => this.waiters.push({ resolve, reject })));
    this.socket.write(requests.length === 1 ? requests[0] : Buffer.concat(requests));
    return Promise.all(answers);
  }

  async call(method, route, body, headers) {
    const [answer] = await this.send(RuntimeApi.request(method, route, body, headers));
    return answer;
  }

  // An answer with the next /next pipelined behind it: one round trip per invocation.
  async answerThenNext(route, body, headers) {
    const [, next] = await this.send(RuntimeApi.request('POST', route, body, headers), NEXT_REQUEST);
    return next;
  }
}

const NEXT_ROUTE = '/2018-06-01/runtime/invocation/next';
const NEXT_REQUEST = RuntimeApi.request('GET', NEXT_ROUTE);

const api = new RuntimeApi();
const call = (method, route, body, headers) => api.call(method, route, body, headers);

function errorObject(error, type) {
  const isError = error instanceof Error;
  return {
    errorType: type || (isError ? error.name : 'Error'),
    errorMessage: isError ? error.message : String(error),
    stackTrace: isError && error.stack ? error.stack.split('\n').slice(1).map((line) => line.trim()) : [],
  };
}

const errorHeaders = (error) => ({ 'Lambda-Runtime-Function-Error-Type': error.errorType });
const postError = (route, error) => call('POST', route, JSON.stringify(error), errorHeaders(error));

async function loadHandler(taskRoot, spec) {
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) throw new Error(`handler '${spec}' is not module.function`);
  const moduleName = spec.slice(0, dot);
  const functionName = spec.slice(dot + 1);
  let module;
  for (const extension of ['.mjs', '.js', '.cjs']) {
    const file = path.join(taskRoot, moduleName + extension);
    if (!fs.existsSync(file)) continue;
    module = extension === '.cjs' ? createRequire(file)(file) : await import(pathToFileURL(file).href);
    break;
  }
  if (!module) throw new Error(`no module '${moduleName}' in the function's code`);
  const handler = module[functionName] ?? module.default?.[functionName];
  if (typeof handler !== 'function') throw new Error(`module '${moduleName}' has no function '${functionName}'`);
  return handler;
}

function context(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms'] || 0);
  return {
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME || '',
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION || '$LATEST',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || '128',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    callbackWaitsForEmptyEventLoop: false,
  };
}

// Keeps the first OUTPUT_CAP bytes of each of a script's two output streams, and builds
// the clone's result object from them.
function captureOutput(source) {
  const captured = { stdout: [], stderr: [] };
  const sizes = { stdout: 0, stderr: 0 };
  for (const stream of ['stdout', 'stderr']) {
    source[stream].on('data', (chunk) => {
      const room = OUTPUT_CAP - sizes[stream];
      if (room > 0) captured[stream].push(chunk.subarray(0, room));
      sizes[stream] += chunk.length;
    });
  }
  return {
    addStderr(text) { captured.stderr.push(Buffer.from(text)); },
    answer(status, timedOut, started) {
      return {
        status,
        stdout: Buffer.concat(captured.stdout).toString(),
        stderr: Buffer.concat(captured.stderr).toString(),
        timeout: timedOut,
        durationMs: Date.now() - started,
        stdoutTruncated: sizes.stdout > OUTPUT_CAP,
        stderrTruncated: sizes.stderr > OUTPUT_CAP,
      };
    },
  };
}

function runScript(entry, args, deadlineMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    // Its own process group, killed whole at the end: nothing it starts outlives the call.
    const child = spawn(process.execPath, [entry, ...args.map(String)],
      { cwd: path.dirname(entry), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
    const output = captureOutput(child);
    let timedOut = false;
    const timer = deadlineMs ? setTimeout(() => { timedOut = true; killGroup(); }, Math.max(0, deadlineMs - Date.now())) : null;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      killGroup();
      resolve(output.answer(code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : 15) : 1), timedOut, started));
    });
  });
}

// Script mode without a new process: a worker thread runs the entry file. Its
// process.exit() ends only the worker, with that code; its stdout and stderr are streams
// read here; the host's timeout ends the whole VM, so no deadline is kept here.
function runScriptInWorker(entry, args) {
  return new Promise((resolve) => {
    const started = Date.now();
    process.chdir(path.dirname(entry));  // process-wide: a worker may not change it
    // The worker's entry is an ES module that loads the script as the main program would:
    // CommonJS through require, .mjs through import.
    const loader = `
      const { createRequire } = require('node:module');
      const { pathToFileURL } = require('node:url');
      const entry = ${JSON.stringify(entry)};
      process.argv[1] = entry;
      if (entry.endsWith('.mjs')) import(pathToFileURL(entry).href);
      else createRequire(entry)(entry);`;
    const worker = new Worker(loader, {
      eval: true, argv: args.map(String), stdout: true, stderr: true, env: process.env,
    });
    const output = captureOutput(worker);
    let failure = null;
    worker.on('error', (error) => { failure = error; });
    worker.on('exit', (code) => {
      // The streams may still hold the worker's last writes: let them drain first.
      setImmediate(() => {
        if (failure) output.addStderr(`${failure.stack || failure}\n`);
        resolve(output.answer(failure && code === 0 ? 1 : code, false, started));
      });
    });
  });
}

// A ready sandbox starts this bootstrap before it knows whose function it will run; the
// host then sends {"env": {...}} down the descriptor named by STRATUS_SPEC_FD and closes
// it. Started directly (tests, custom hosts), the variables are already set.
function applySpec() {
  const fd = process.env.STRATUS_SPEC_FD;
  if (fd === undefined) return;
  delete process.env.STRATUS_SPEC_FD;
  const text = fs.readFileSync(Number(fd), 'utf8');
  fs.closeSync(Number(fd));
  Object.assign(process.env, JSON.parse(text || '{}').env || {});
}

async function main() {
  applySpec();
  const taskRoot = process.env.LAMBDA_TASK_ROOT || '/var/task';
  const spec = process.env._HANDLER || '';
  const mode = process.env.STRATUS_MODE || 'handler';
  let handler;
  let entry;
  try {
    if (mode === 'script') {
      entry = path.join(taskRoot, spec);
      if (!fs.existsSync(entry)) throw new Error(`no entry file '${spec}' in the function's code`);
    } else {
      handler = await loadHandler(taskRoot, spec);
    }
  } catch (error) {
    await postError('/2018-06-01/runtime/init/error', errorObject(error, 'Runtime.ImportModuleError'));
    process.exit(1);
  }
  let next = await call('GET', NEXT_ROUTE);
  for (;;) {
    // Never run the handler on an error answer.
    if (next.status !== 200) throw new Error(`the Runtime API refused /next (${next.status}): ${next.body.slice(0, 200)}`);
    const id = next.headers['lambda-runtime-aws-request-id'];
    let payload;
    try {
      const event = next.body ? JSON.parse(next.body) : null;
      const result = mode === 'script'
        ? await (process.env.STRATUS_SCRIPT_IN_PROCESS
          ? runScriptInWorker(entry, Array.isArray(event?.args) ? event.args : [])
          : runScript(entry, Array.isArray(event?.args) ? event.args : [], Number(next.headers['lambda-runtime-deadline-ms'] || 0)))
        : await handler(event, context(next.headers));
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      const failure = errorObject(error);
      next = await api.answerThenNext(`/2018-06-01/runtime/invocation/${id}/error`, JSON.stringify(failure), errorHeaders(failure));
      continue;
    }
    next = await api.answerThenNext(`/2018-06-01/runtime/invocation/${id}/response`, payload);
  }
}

main().catch((error) => {
  process.stderr.write(`bootstrap failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
