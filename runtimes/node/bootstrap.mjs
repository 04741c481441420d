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
//   interpreter as Python does, so this costs a process start.
//
// Built-in modules only.
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const OUTPUT_CAP = 1 << 20;
const [host, port] = (() => {
  const address = process.env.AWS_LAMBDA_RUNTIME_API || '';
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
})();
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(method, route, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host, port, method, path: route, agent,
        headers: body === undefined ? headers
          : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks).toString() }));
      });
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

function errorObject(error, type) {
  const isError = error instanceof Error;
  return {
    errorType: type || (isError ? error.name : 'Error'),
    errorMessage: isError ? error.message : String(error),
    stackTrace: isError && error.stack ? error.stack.split('\n').slice(1).map((line) => line.trim()) : [],
  };
}

const postError = (route, error) =>
  call('POST', route, JSON.stringify(error), { 'Lambda-Runtime-Function-Error-Type': error.errorType });

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

function runScript(entry, args, deadlineMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    // Its own process group, killed whole at the end: nothing it starts outlives the call.
    const child = spawn(process.execPath, [entry, ...args.map(String)],
      { cwd: path.dirname(entry), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
    const captured = { stdout: [], stderr: [] };
    const sizes = { stdout: 0, stderr: 0 };
    for (const stream of ['stdout', 'stderr']) {
      child[stream].on('data', (chunk) => {
        const room = OUTPUT_CAP - sizes[stream];
        if (room > 0) captured[stream].push(chunk.subarray(0, room));
        sizes[stream] += chunk.length;
      });
    }
    let timedOut = false;
    const timer = deadlineMs ? setTimeout(() => { timedOut = true; killGroup(); }, Math.max(0, deadlineMs - Date.now())) : null;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      killGroup();
      resolve({
        status: code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : 15) : 1),
        stdout: Buffer.concat(captured.stdout).toString(),
        stderr: Buffer.concat(captured.stderr).toString(),
        timeout: timedOut,
        durationMs: Date.now() - started,
        stdoutTruncated: sizes.stdout > OUTPUT_CAP,
        stderrTruncated: sizes.stderr > OUTPUT_CAP,
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
  for (;;) {
    const next = await call('GET', '/2018-06-01/runtime/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    let payload;
    try {
      const event = next.body ? JSON.parse(next.body) : null;
      const result = mode === 'script'
        ? await runScript(entry, Array.isArray(event?.args) ? event.args : [], Number(next.headers['lambda-runtime-deadline-ms'] || 0))
        : await handler(event, context(next.headers));
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (error) {
      await postError(`/2018-06-01/runtime/invocation/${id}/error`, errorObject(error));
      continue;
    }
    await call('POST', `/2018-06-01/runtime/invocation/${id}/response`, payload);
  }
}

main().catch((error) => {
  process.stderr.write(`bootstrap failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
