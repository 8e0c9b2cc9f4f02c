#!/bin/sh
# Run once by the postgres image when its data volume is first initialised (docker-entrypoint-initdb.d):
# the migration role owns the schema, the application role owns nothing (docs/database-roles.md).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" -v owner_password="$HOTLINE_OWNER_PASSWORD" -v app_password="$HOTLINE_APP_PASSWORD" <<'SQL'
CREATE ROLE hotline_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE hotline_app LOGIN PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO hotline_owner;
ALTER SCHEMA public OWNER TO hotline_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
