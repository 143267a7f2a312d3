-- A capture on PostgreSQL is one statement (all rows of the order plus the guarded stock update),
-- committed on its own. This makes that statement fail, and so write nothing, when the stock update
-- did not take every balance the plan counted on (another order took the units meanwhile).
CREATE FUNCTION orderly_check(ok boolean, message text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT ok THEN
        RAISE EXCEPTION USING ERRCODE = 'OR001', MESSAGE = message;
    END IF;
    RETURN ok;
END;
$$;
