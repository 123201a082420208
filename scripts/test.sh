#!/usr/bin/env bash
# Runs the whole suite twice: on SQLite, then on PostgreSQL (TEST_DATABASE_URL).
# First the kiosk's JavaScript rules (node --test). Fails loudly, never skips, when Chromium,
# Node.js or PostgreSQL (or, in CI, Redis) is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL="${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"

bash scripts/ensure-chromium.sh
bash scripts/ensure-node.sh

echo "=== JavaScript: the kiosk's turn rules ==="
node --test tests/js/

if [[ "${PLAZA_TEST_DATABASES:-sqlite postgresql}" == "sqlite" && "${CI:-}" != "true" ]]; then
  echo "!! PLAZA_TEST_DATABASES=sqlite: PostgreSQL is NOT tested in this run." >&2
  databases="sqlite"
else
  databases="sqlite postgresql"
  # The run gets a database of its own, created empty: tables anyone left in the server's
  # database (a benchmark, an experiment) must not reach the schema comparisons.
  if ! SUITE_PG_URL="$("$BIN/python" scripts/suite_database.py create "$PG_URL")"; then
    echo "!! The suite must pass on PostgreSQL too. Start the server, set TEST_DATABASE_URL," >&2
    echo "!! or (outside CI only) run PLAZA_TEST_DATABASES=sqlite make test." >&2
    exit 1
  fi
  trap '"$BIN/python" scripts/suite_database.py drop "$PG_URL" || true' EXIT
fi

# Abuse limits and the job queue are tested against a real Redis: CI must have one.
REDIS_URL="${TEST_CELERY_BROKER_URL:-redis://127.0.0.1:6379/11}"
if ! "$BIN/python" - "$REDIS_URL" <<'PY'
import sys
import redis
try:
    redis.Redis.from_url(sys.argv[1], socket_timeout=5).ping()
except Exception as exc:
    sys.exit(f"Redis is unreachable at {sys.argv[1]}: {exc}")
PY
then
  if [[ "${CI:-}" == "true" ]]; then
    echo "!! CI needs Redis for the job-queue and limit tests; start redis-server or set TEST_CELERY_BROKER_URL." >&2
    exit 1
  fi
  echo "!! No Redis: the job-queue and Redis limit tests are SKIPPED in this run." >&2
fi

for database in $databases; do
  echo "=== tests on $database ==="
  if [[ "$database" == "sqlite" ]]; then
    env -u TEST_DATABASE_URL "$BIN/python" -m pytest -q "$@"
  else
    TEST_DATABASE_URL="$SUITE_PG_URL" "$BIN/python" -m pytest -q "$@"
  fi
done
