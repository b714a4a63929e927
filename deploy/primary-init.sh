#!/bin/sh
# Runs once, when the primary's data directory is created (docker-entrypoint-initdb.d): a role for
# streaming replication and the line of pg_hba.conf that lets the replica use it.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
