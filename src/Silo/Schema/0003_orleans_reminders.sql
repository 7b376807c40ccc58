-- =============================================================================
-- 0003  Orleans reminders for PostgreSQL 15
--
-- Consumed by Microsoft.Orleans.Reminders.AdoNet (Invariant "Npgsql"), which
-- requires the seven *Reminder*/ReadRange* keys below in OrleansQuery
-- (created in 0001).
--
-- Parameters: @ServiceId, @GrainId (GrainId.ToString()), @ReminderName,
-- @StartTime (timestamptz), @Period (milliseconds; int4, or int8 when it does
-- not fit), @GrainHash / @BeginHash / @EndHash (uint hashes cast to int4, so
-- they may be negative), @Version (int4, the ETag).
-- Result columns read by name: GrainId, ReminderName, StartTime, Period,
-- Version.  The ETag of a reminder is its integer version.
-- =============================================================================

CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id     varchar(150) NOT NULL,
    grain_id       text         NOT NULL,
    reminder_name  text         NOT NULL,
    grain_hash     integer      NOT NULL,
    start_time     timestamptz  NOT NULL,
    period_ms      bigint       NOT NULL,
    version        integer      NOT NULL,
    CONSTRAINT orleans_reminder_pk PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Ring-range scans by the reminder service.
CREATE INDEX IF NOT EXISTS orleans_reminder_ring_ix
    ON orleans_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
-- Insert or replace; returns the new version (the reminder's new ETag).
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminder AS r
    (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 1)
ON CONFLICT ON CONSTRAINT orleans_reminder_pk DO UPDATE
   SET grain_hash = EXCLUDED.grain_hash,
       start_time = EXCLUDED.start_time,
       period_ms  = EXCLUDED.period_ms,
       version    = r.version + 1
RETURNING r.version AS Version;
$q$),

('ReadReminderRowsKey', $q$
SELECT r.grain_id       AS GrainId,
       r.reminder_name  AS ReminderName,
       r.start_time     AS StartTime,
       r.period_ms      AS Period,
       r.version        AS Version
  FROM orleans_reminder r
 WHERE r.service_id = @ServiceId
   AND r.grain_id   = @GrainId;
$q$),

('ReadReminderRowKey', $q$
SELECT r.grain_id       AS GrainId,
       r.reminder_name  AS ReminderName,
       r.start_time     AS StartTime,
       r.period_ms      AS Period,
       r.version        AS Version
  FROM orleans_reminder r
 WHERE r.service_id    = @ServiceId
   AND r.grain_id      = @GrainId
   AND r.reminder_name = @ReminderName;
$q$),

-- Ring range (BeginHash, EndHash].  Orleans picks this key when
-- (int)BeginHash < (int)EndHash: a plain, non-wrapping interval.
('ReadRangeRows1Key', $q$
SELECT r.grain_id       AS GrainId,
       r.reminder_name  AS ReminderName,
       r.start_time     AS StartTime,
       r.period_ms      AS Period,
       r.version        AS Version
  FROM orleans_reminder r
 WHERE r.service_id = @ServiceId
   AND r.grain_hash > @BeginHash
   AND r.grain_hash <= @EndHash;
$q$),

-- Otherwise ((int)BeginHash >= (int)EndHash) the interval wraps around the
-- ring: everything above BeginHash plus everything up to EndHash.  With
-- BeginHash = EndHash this is the whole ring.
('ReadRangeRows2Key', $q$
SELECT r.grain_id       AS GrainId,
       r.reminder_name  AS ReminderName,
       r.start_time     AS StartTime,
       r.period_ms      AS Period,
       r.version        AS Version
  FROM orleans_reminder r
 WHERE r.service_id = @ServiceId
   AND (r.grain_hash > @BeginHash OR r.grain_hash <= @EndHash);
$q$),

-- Delete only if the ETag still matches; always yields exactly one boolean row.
('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM orleans_reminder r
     WHERE r.service_id    = @ServiceId
       AND r.grain_id      = @GrainId
       AND r.reminder_name = @ReminderName
       AND r.version       = @Version
    RETURNING 1
)
SELECT count(*) > 0 AS deleted FROM removed;
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminder
 WHERE service_id = @ServiceId;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
