#!/usr/bin/python3
"""Stratus's Python runtime: the guest side of AWS Lambda's Runtime API.

Started once per instance with AWS_LAMBDA_RUNTIME_API=host:port, LAMBDA_TASK_ROOT (the
code, read-only), _HANDLER ("module.function" or, for script mode, the entry file) and
STRATUS_MODE (handler | script). It imports the function once, then loops: GET the next
event, run it, POST the response or a Lambda-shaped error.

- handler mode: handler(event, context) -> JSON, as on Lambda.
- script mode (the clone's semantics): the event is {"args": [...]}; a fork of this
  already-initialised interpreter runs the entry file with those argv, and the answer is
  {status, stdout, stderr, timeout, durationMs}. Where there is no fork() (Nanos:
  STRATUS_SCRIPT_IN_PROCESS), the entry file runs in this process instead, with file
  descriptors 1 and 2 pointed at pipes for the call; the host's timeout ends the whole VM.

Standard library only: it runs in a sandbox that holds the interpreter and nothing else.
"""
import importlib
import json
import os
import pkgutil  # runpy imports it lazily: once here, not in every script-mode fork
import runpy
import selectors
import signal
import socket
import sys
import threading
import time
import traceback

OUTPUT_CAP = 1 << 20  # bytes kept per stream in script mode; the rest is read and dropped


class Context:
    """The `context` argument of a handler, with Lambda's names."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id", "")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn", "")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0") or 0)
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = "/aws/lambda/" + self.function_name
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def header_safe(text):
    """A header value from any str: printable ASCII only (the body keeps the original)."""
    return "".join(c if " " <= c <= "~" else "?" for c in str(text))[:256]


class RuntimeApi:
    """A minimal HTTP/1.1 client for the Runtime API, on one kept-alive socket.

    http.client would do, but it parses every answer's headers with the email package,
    which costs more than the rest of a warm invocation together. This speaks only to
    Stratus's own Runtime API server, which always sends Content-Length.
    """

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = (host, int(port))
        self.sock = None
        self.buffer = bytearray()

    @staticmethod
    def _request(method, path, body=b"", headers=()):
        head = "".join(f"{name}: {value}\r\n" for name, value in headers)
        return (f"{method} {path} HTTP/1.1\r\nHost: runtime\r\n"
                f"Content-Length: {len(body)}\r\n{head}\r\n").encode("latin-1") + body

    def _send(self, data):
        if self.sock is None:
            self.sock = socket.create_connection(self.address)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = bytearray()
        # One write: headers and body (and a pipelined /next) leave in the same segment.
        self.sock.sendall(data)

    def _call(self, method, path, body=b"", headers=()):
        self._send(self._request(method, path, body, headers))
        return self._read_response()

    def _answer_then_next(self, path, body, headers):
        # The answer and the next /next go out in one write, pipelined: the host reads both
        # at once, and this process makes one round trip per invocation instead of two.
        self._send(self._request("POST", path, body, headers) + self._NEXT)
        self._read_response()  # 202, or a refusal there is nothing more to do about
        return self._next_answer()

    def _receive(self):
        # Under glibc's mmap threshold (128 KiB): a larger buffer is mapped and unmapped on
        # every call, which profiled as a quarter of a warm call's CPU.
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the Runtime API closed the connection")
        self.buffer += chunk

    def _read_response(self):
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                break
            self._receive()
        lines = self.buffer[:end].decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1]) if " " in lines[0] else 0
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(self.buffer) < end + 4 + length:
            self._receive()
        body = bytes(self.buffer[end + 4:end + 4 + length])
        del self.buffer[:end + 4 + length]
        return status, headers, body

    _NEXT = b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: runtime\r\n\r\n"

    def _next_answer(self):
        status, headers, body = self._read_response()
        if status != 200:  # never run the handler on an error answer
            raise RuntimeError(f"the Runtime API refused /next ({status}): {body[:200]!r}")
        return headers, body

    def next(self):
        self._send(self._NEXT)
        return self._next_answer()

    def respond(self, request_id, payload):
        """Sends the answer; returns the next event."""
        return self._answer_then_next(f"/2018-06-01/runtime/invocation/{request_id}/response",
                                      payload, (("Content-Type", "application/json"),))

    def error(self, request_id, error):
        """Sends the error; returns the next event."""
        return self._answer_then_next(
            f"/2018-06-01/runtime/invocation/{request_id}/error", json.dumps(error).encode(),
            (("Content-Type", "application/json"),
             ("Lambda-Runtime-Function-Error-Type", header_safe(error["errorType"]))))

    def init_error(self, error):
        self._call("POST", "/2018-06-01/runtime/init/error", json.dumps(error).encode(),
                   (("Content-Type", "application/json"),
                    ("Lambda-Runtime-Function-Error-Type", header_safe(error["errorType"]))))

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def error_object(exc, error_type=None):
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }


def flush_output():
    """The host reads an invocation's logs when its answer arrives: flush them first."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def load_handler(spec):
    module_name, _, function_name = spec.rpartition(".")
    if not module_name or not function_name:
        raise ValueError(f"handler {spec!r} is not module.function")
    module = importlib.import_module(module_name.replace("/", "."))
    handler = getattr(module, function_name, None)
    if not callable(handler):
        raise AttributeError(f"module {module_name!r} has no function {function_name!r}")
    return handler


def exit_status(stop):
    """A script's exit status from its SystemExit, as the interpreter itself would exit:
    None is 0, an int is itself, anything else is printed to stderr and is 1."""
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code
    print(stop.code, file=sys.stderr)
    return 1


def run_entry(entry, args):
    """Runs `entry` as __main__ with `args` as its argv; returns its exit status."""
    try:
        sys.argv = [entry] + [str(a) for a in args]
        runpy.run_path(entry, run_name="__main__")
    except SystemExit as stop:
        return exit_status(stop)
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


def run_script(api, entry, args, deadline_ms):
    """Forks this interpreter to run `entry` as __main__ with `args`; returns the clone's
    result object."""
    started = time.monotonic()
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.setpgid(0, 0)  # its own group, killed whole at the end
            api.close()  # the child must never speak on the parent's connection
            os.dup2(out_write, 1)
            os.dup2(err_write, 2)
            for fd in (out_read, out_write, err_read, err_write):
                os.close(fd)
            sys.stdout = open(1, "w", closefd=False)
            sys.stderr = open(2, "w", closefd=False)
            code = run_entry(entry, args)
        except BaseException:  # the set-up above failed
            traceback.print_exc()
            code = 1
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code & 0xFF)
    os.close(out_write)
    os.close(err_write)
    captured = {out_read: bytearray(), err_read: bytearray()}
    truncated = {out_read: False, err_read: False}
    selector = selectors.DefaultSelector()
    for fd in captured:
        selector.register(fd, selectors.EVENT_READ)
    timed_out = False
    open_streams = 2
    while open_streams:
        remaining = deadline_ms / 1000 - time.time() if deadline_ms else None
        if remaining is not None and remaining <= 0:
            timed_out = True
            break
        for key, _ in selector.select(remaining):
            chunk = os.read(key.fd, 65536)
            if not chunk:
                selector.unregister(key.fd)
                open_streams -= 1
                continue
            room = OUTPUT_CAP - len(captured[key.fd])
            if room > 0:
                captured[key.fd] += chunk[:room]
            if len(chunk) > room:
                truncated[key.fd] = True
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    try:  # nothing the script started outlives the call
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    selector.close()
    os.close(out_read)
    os.close(err_read)
    exit_code = os.waitstatus_to_exitcode(status)
    return {
        "status": exit_code if exit_code >= 0 else 128 - exit_code,
        "stdout": captured[out_read].decode("utf-8", "replace"),
        "stderr": captured[err_read].decode("utf-8", "replace"),
        "timeout": timed_out,
        "durationMs": int((time.monotonic() - started) * 1000),
        "stdoutTruncated": truncated[out_read],
        "stderrTruncated": truncated[err_read],
    }


class _Drain(threading.Thread):
    """Reads a pipe to its end, keeping the first OUTPUT_CAP bytes."""

    def __init__(self, fd):
        super().__init__(daemon=True)
        self.fd = fd
        self.data = bytearray()
        self.truncated = False

    def run(self):
        interrupted = 0
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError as error:
                # Nanos lets its kernel-internal ERESTARTSYS (512) out of a read that the
                # closing write end interrupted: read again, as for EINTR.
                if error.errno == 512 and interrupted < 100:
                    interrupted += 1
                    continue
                raise
            if not chunk:
                os.close(self.fd)
                return
            room = OUTPUT_CAP - len(self.data)
            if room > 0:
                self.data += chunk[:room]
            if len(chunk) > room:
                self.truncated = True


def run_script_in_process(entry, args):
    """Runs `entry` as __main__ in this interpreter; returns the clone's result object.

    Descriptors 1 and 2 point at pipes for the call, drained by threads that keep the
    first OUTPUT_CAP bytes: print(), sys.stdout.write and os.write all land there, and a
    flood costs neither memory nor disk. The script shares this interpreter with later
    calls of the same function version (as handler mode's warm state does), never with
    another function's.
    """
    started = time.monotonic()
    flush_output()
    saved = (os.dup(1), os.dup(2))
    drains = []
    for target in (1, 2):
        read_end, write_end = os.pipe()
        drain = _Drain(read_end)
        drain.start()
        drains.append(drain)
        os.dup2(write_end, target)
        os.close(write_end)
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    try:
        code = run_entry(entry, args)
    finally:
        flush_output()
        # Pointing 1 and 2 back closes the pipes' last write ends: the drains see the end,
        # unless the script kept a copy (a thread still writing), which the join bounds.
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved:
            os.close(fd)
        sys.argv = saved_argv
        os.chdir(saved_cwd)
    for drain in drains:
        drain.join(timeout=1)
    out, err = drains
    return {
        "status": code & 0xFF,
        "stdout": out.data.decode("utf-8", "replace"),
        "stderr": err.data.decode("utf-8", "replace"),
        "timeout": False,
        "durationMs": int((time.monotonic() - started) * 1000),
        "stdoutTruncated": out.truncated,
        "stderrTruncated": err.truncated,
    }


def apply_spec():
    """A ready sandbox starts this bootstrap before it knows whose function it will run;
    the host then sends {"env": {...}} down the descriptor named by STRATUS_SPEC_FD and
    closes it. Everything imported so far is already paid for when that arrives."""
    fd = os.environ.pop("STRATUS_SPEC_FD", None)
    if fd is None:
        return
    with os.fdopen(int(fd), "rb") as spec_file:
        text = spec_file.read()
    os.environ.update(json.loads(text or b"{}").get("env", {}))
    time.tzset()  # the interpreter read TZ before the function's variables arrived


def main():
    apply_spec()
    api = RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"])
    task_root = os.environ.get("LAMBDA_TASK_ROOT", "/var/task")
    spec = os.environ.get("_HANDLER", "")
    mode = os.environ.get("STRATUS_MODE", "handler")
    sys.path.insert(0, task_root)
    handler = None
    entry = None
    try:
        if mode == "script":
            entry = os.path.join(task_root, spec)
            if not os.path.isfile(entry):
                raise FileNotFoundError(f"no entry file {spec!r} in the function's code")
        else:
            handler = load_handler(spec)
    except Exception as exc:  # the function's own import failed: report it, as Lambda does
        api.init_error(error_object(exc, "Runtime.ImportModuleError"))
        return 1

    headers, body = api.next()
    while True:
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        try:
            event = json.loads(body) if body else None
            if mode == "script":
                args = event.get("args", []) if isinstance(event, dict) else []
                deadline = int(headers.get("lambda-runtime-deadline-ms", "0") or 0)
                if os.environ.get("STRATUS_SCRIPT_IN_PROCESS"):
                    result = run_script_in_process(entry, args)
                else:
                    result = run_script(api, entry, args, deadline)
            else:
                result = handler(event, Context(headers))
            payload = json.dumps(result).encode()
        except Exception as exc:
            flush_output()
            headers, body = api.error(request_id, error_object(exc))
            continue
        flush_output()
        headers, body = api.respond(request_id, payload)


if __name__ == "__main__":
    sys.exit(main())
