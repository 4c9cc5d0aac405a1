#!/usr/bin/env bash
# Restore a custom-format dump into a NEW database (never over the live one), then check it.
#   scripts/restore.sh DUMPFILE NEWDB
# libpq variables (PGHOST, PGPORT, PGUSER…) select the server. Afterwards point
# DJANGO_DATABASE_URL at NEWDB (or rename databases) and restart the services.
set -euo pipefail
dump=$1 db=$2
createdb "$db"
pg_restore --exit-on-error --no-owner --no-acl --jobs=2 --dbname="$db" "$dump"
psql -d "$db" -Atqc "ANALYZE"
psql -d "$db" -Atc "SELECT count(*) || ' tables' FROM information_schema.tables WHERE table_schema='public'"
