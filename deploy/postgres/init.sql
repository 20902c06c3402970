-- Runs once, when the postgres volume is first created (docker-entrypoint-initdb.d).
-- One schema per writing service; each service's migrations also create its schema if it is
-- missing, so this only makes the layout visible from the start and keeps `public` unused.
CREATE SCHEMA IF NOT EXISTS directory;
CREATE SCHEMA IF NOT EXISTS sessions;
CREATE SCHEMA IF NOT EXISTS login;

-- Nothing of ours lives in public; nobody gets to create objects there.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
