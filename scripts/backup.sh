#!/usr/bin/env bash
# Dump the LMS database in PostgreSQL's custom format and keep the last N dumps.
#   scripts/backup.sh DIR [DBNAME] [KEEP]      e.g. scripts/backup.sh /var/backups/lms lms 14
# Connection settings come from the usual libpq variables (PGHOST, PGPORT, PGUSER,
# PGPASSWORD or ~/.pgpass). Restore with scripts/restore.sh (see docs/deploy.md).
set -euo pipefail
dir=$1 db=${2:-lms} keep=${3:-14}
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$dir/$db-$stamp.dump"
# --no-owner/--no-acl: the dump restores into a database owned by whoever restores it.
pg_dump --format=custom --compress=6 --no-owner --no-acl --file="$out.partial" "$db"
pg_restore --list "$out.partial" >/dev/null   # an unreadable dump fails the backup now
mv "$out.partial" "$out"
echo "$out $(du -h "$out" | cut -f1)"
ls -1t "$dir/$db"-*.dump | tail -n +"$((keep + 1))" | xargs -r rm --
