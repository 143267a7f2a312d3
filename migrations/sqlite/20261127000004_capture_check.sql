-- PostgreSQL adds orderly_check() here for its one-statement capture. SQLite captures on the writer
-- thread inside a savepoint and checks every stock update as it goes: nothing to add.
SELECT 1;
