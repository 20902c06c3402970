#!/bin/sh
# Starts the service named by the first argument or by SERVICE. `exec` replaces this shell with
# Node, so SIGTERM from `docker stop` reaches Nest and it shuts down cleanly.
set -eu
# `gate-service gatectl …` runs the admin CLI (e.g. `docker compose exec directory gate-service gatectl groups list`).
if [ "${1:-}" = gatectl ]; then
  shift
  exec node /app/dist/services/directory/cli/main.js "$@"
fi
service="${1:-${SERVICE:-}}"
case "$service" in
  verify | login | directory | sessions) ;;
  *)
    echo "gate-service: name the service to run, verify, login, directory or sessions (SERVICE=... or as the command); got '${service}'" >&2
    exit 64
    ;;
esac
exec node "/app/dist/services/${service}/main.js"
