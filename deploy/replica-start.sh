#!/bin/sh
# The streaming replica: on first start a base backup of the primary (standby.signal and
# primary_conninfo written by -R), then PostgreSQL as a hot standby.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup -h postgres -U replicator -D "$PGDATA" -R -X stream -c fast; do
    echo "waiting for the primary…"; sleep 2
  done
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
