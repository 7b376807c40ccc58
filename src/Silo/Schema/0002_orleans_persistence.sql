-- =============================================================================
-- 0002  Orleans grain persistence for PostgreSQL 15
--
-- Consumed by Microsoft.Orleans.Persistence.AdoNet (Invariant "Npgsql"), which
-- loads WriteToStorageKey, ReadFromStorageKey, ClearStorageKey and (optional,
-- only needed with DeleteStateOnClear = true) DeleteStorageKey from
-- OrleansQuery (created in 0001).
--
-- Parameters bound on every call:
--   @ServiceId (text), @GrainTypeHash (int4), @GrainTypeString (text),
--   @GrainIdHash (int4), @GrainIdN0 (int8), @GrainIdN1 (int8),
--   @GrainIdExtensionString (text, NULL when the key has no string part)
-- plus @GrainStateVersion (int4, NULL for a grain that has no stored state yet)
-- and, for writes, @PayloadBinary (bytea).
--
-- ETag contract: the ETag is the integer "version" column.
--   read   -> PayloadBinary, Version (no row = no state)
--   write  -> NewGrainStateVersion = new version, or NULL when nothing was
--             written; the provider turns NULL/"" into InconsistentStateException
--   clear  -> NewGrainStateVersion = new version; no row on a stale version
--   delete -> NewGrainStateVersion = old version + 1; no row on a stale version
-- =============================================================================

CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id       varchar(150) NOT NULL,
    grain_type_hash  integer      NOT NULL,
    grain_type       text         NOT NULL,
    grain_id_hash    integer      NOT NULL,
    grain_id_n0      bigint       NOT NULL,
    grain_id_n1      bigint       NOT NULL,
    grain_id_ext     text         NULL,
    payload          bytea        NULL,     -- NULL after ClearState
    version          integer      NOT NULL,
    modified_at      timestamptz  NOT NULL DEFAULT now()
);

-- One row per (service, grain type, grain id).  The two free-text parts are
-- indexed through md5 so arbitrarily long type names / string keys never hit
-- the btree row-size limit; a NULL key extension is mapped to a marker that
-- md5 can never produce, so NULL and '' stay distinct and NULL = NULL here.
-- A second concurrent first-write for the same grain therefore conflicts.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_identity_ux
    ON orleans_grain_state
    (
        grain_id_hash,
        grain_type_hash,
        service_id,
        grain_id_n0,
        grain_id_n1,
        md5(grain_type),
        coalesce(md5(grain_id_ext), '-')
    );

-- -----------------------------------------------------------------------------
-- Helper: optimistic write of one grain's state.
--   expected version NULL  -> first write: insert with version 1, unless a
--                             row for the grain already exists
--   expected version N     -> update only if the stored version is still N
-- Returns the new version, or NULL if the write was refused.
-- -----------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION actors_grain_state_write(
    p_service_id        text,
    p_grain_type_hash   integer,
    p_grain_type        text,
    p_grain_id_hash     integer,
    p_grain_id_n0       bigint,
    p_grain_id_n1       bigint,
    p_grain_id_ext      text,
    p_expected_version  integer,
    p_payload           bytea)
RETURNS integer
LANGUAGE plpgsql
AS $write$
DECLARE
    v_new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO orleans_grain_state
            (service_id, grain_type_hash, grain_type, grain_id_hash,
             grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
        VALUES
            (p_service_id, p_grain_type_hash, p_grain_type, p_grain_id_hash,
             p_grain_id_n0, p_grain_id_n1, p_grain_id_ext, p_payload, 1)
        ON CONFLICT (grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1,
                     md5(grain_type), coalesce(md5(grain_id_ext), '-'))
        DO NOTHING
        RETURNING version INTO v_new_version;
    ELSE
        UPDATE orleans_grain_state s
           SET payload     = p_payload,
               version     = s.version + 1,
               modified_at = now()
         WHERE s.grain_id_hash   = p_grain_id_hash
           AND s.grain_type_hash = p_grain_type_hash
           AND s.service_id      = p_service_id
           AND s.grain_id_n0     = p_grain_id_n0
           AND s.grain_id_n1     = p_grain_id_n1
           AND s.grain_type      = p_grain_type
           AND s.grain_id_ext IS NOT DISTINCT FROM p_grain_id_ext
           AND s.version         = p_expected_version
        RETURNING s.version INTO v_new_version;
    END IF;

    RETURN v_new_version;   -- NULL => nothing written => provider reports a conflict
END
$write$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT s.payload  AS PayloadBinary,
       s.version  AS Version
  FROM orleans_grain_state s
 WHERE s.grain_id_hash   = @GrainIdHash
   AND s.grain_type_hash = @GrainTypeHash
   AND s.service_id      = @ServiceId
   AND s.grain_id_n0     = @GrainIdN0
   AND s.grain_id_n1     = @GrainIdN1
   AND s.grain_type      = @GrainTypeString
   AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),

('WriteToStorageKey', $q$
SELECT actors_grain_state_write(
    @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash,
    @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
    @GrainStateVersion, @PayloadBinary) AS NewGrainStateVersion;
$q$),

-- Clear keeps the row (payload NULL) and bumps the version, so a grain that
-- writes again later continues from that version.
('ClearStorageKey', $q$
UPDATE orleans_grain_state s
   SET payload     = NULL,
       version     = s.version + 1,
       modified_at = now()
 WHERE s.grain_id_hash   = @GrainIdHash
   AND s.grain_type_hash = @GrainTypeHash
   AND s.service_id      = @ServiceId
   AND s.grain_id_n0     = @GrainIdN0
   AND s.grain_id_n1     = @GrainIdN1
   AND s.grain_type      = @GrainTypeString
   AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
   AND s.version         = @GrainStateVersion
RETURNING s.version AS NewGrainStateVersion;
$q$),

-- Used instead of ClearStorageKey when DeleteStateOnClear = true.
('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state s
 WHERE s.grain_id_hash   = @GrainIdHash
   AND s.grain_type_hash = @GrainTypeHash
   AND s.service_id      = @ServiceId
   AND s.grain_id_n0     = @GrainIdN0
   AND s.grain_id_n1     = @GrainIdN1
   AND s.grain_type      = @GrainTypeString
   AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
   AND s.version         = @GrainStateVersion
RETURNING s.version + 1 AS NewGrainStateVersion;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
