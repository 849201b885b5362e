#!/usr/bin/env bash
# `make test`: the whole suite on SQLite and, when DATABASE_URL is set, on PostgreSQL, the two
# at the same time (ADR 0027). Each run writes its own log; both logs are printed when both
# runs have ended, and the exit status fails if either run failed. Arguments go to both pytests.
set -uo pipefail
PY="${PY:-.venv/bin/python}"
logs="$(mktemp -d "${TMPDIR:-/tmp}/commonground-test-logs.XXXXXX")"
started=$(date +%s)

# Each run keeps its temporary files apart, so neither cleans up the other's.
env -u DATABASE_URL "$PY" -m pytest --basetemp="$logs/tmp-sqlite" "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
if [ -n "${DATABASE_URL:-}" ]; then
  "$PY" -m pytest --basetemp="$logs/tmp-postgresql" "$@" >"$logs/postgresql.log" 2>&1 &
  postgresql_pid=$!
fi

wait "$sqlite_pid"
sqlite_status=$?
sqlite_seconds=$(($(date +%s) - started))
postgresql_status=0
if [ -n "${DATABASE_URL:-}" ]; then
  wait "$postgresql_pid"
  postgresql_status=$?
fi
seconds=$(($(date +%s) - started))

echo "==================== SQLite (exit $sqlite_status) ===================="
cat "$logs/sqlite.log"
if [ -n "${DATABASE_URL:-}" ]; then
  echo "==================== PostgreSQL (exit $postgresql_status) ===================="
  cat "$logs/postgresql.log"
else
  echo "DATABASE_URL not set: PostgreSQL run skipped (CI always sets it)"
fi
echo "====================================================================="
echo "SQLite: exit $sqlite_status after ${sqlite_seconds} s"
if [ -n "${DATABASE_URL:-}" ]; then
  echo "PostgreSQL: exit $postgresql_status; both runs done after ${seconds} s"
fi
echo "Logs kept in $logs"
rm -rf "$logs/tmp-sqlite" "$logs/tmp-postgresql"
[ "$sqlite_status" -eq 0 ] && [ "$postgresql_status" -eq 0 ]
