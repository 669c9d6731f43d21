#!/bin/sh
# Run once by the postgres image when it creates the database (docker-entrypoint-initdb.d): the
# compose user may stream the WAL to a standby (the replica profile), with its password.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "${PGDATA}/pg_hba.conf"
