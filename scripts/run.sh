#!/usr/bin/env bash
# `make run`: start the server with the embedded defaults and say what to do next.
set -euo pipefail
bin="$1"
listen="${STRATUS_LISTEN:-127.0.0.1:8080}"
url="http://${listen}"
cat <<TXT

Stratus is starting on ${url} (SQLite in ./data, blobs in ./data/blobs, sandbox executor).

Open ${url}/ for the dashboard: sign up there (the verification link is in
./data/outbox and this log while no mail server is configured), then create a function.

Or, from another terminal:
  export PATH="\$PWD/$(dirname "$bin"):\$PATH" STRATUS_URL=${url}
  stratus signup you@example.com        # mails a verification link: with no mail server
                                        # configured it is in ./data/outbox and this log
  # open the link, press "Verify email", then:
  stratus login you@example.com         # prints your user id and an API key to export
  stratus deploy examples/cloud.py --name cloud --handler cloud.calculator
  stratus invoke cloud 10 5
  curl -H "Authorization: Bearer \$STRATUS_API_KEY" \\
       "${url}/api/function/<your user id>/cloud.calculator/sandbox?a=10&b=5"

Stop with Ctrl-C (in-flight requests finish first).

TXT
exec "$bin" serve --listen "$listen"
