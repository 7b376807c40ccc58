-- =============================================================================
-- 0001  Orleans clustering (membership) for PostgreSQL 15
--
-- Consumed by Microsoft.Orleans.Clustering.AdoNet (Invariant "Npgsql").
-- The provider never issues its own SQL: at start-up it loads every row of
-- OrleansQuery and afterwards runs the texts by key, binding named parameters
-- (@DeploymentId, @Address, ...) and reading result columns by name.
--
-- Conventions used in all of our schema files:
--   * Identifiers are unquoted, so PostgreSQL folds them to lower case.  Result
--     columns are aliased to the names the provider asks for (Version,
--     Address, ...); Npgsql resolves column names case-insensitively when
--     there is no exact match, so "version" satisfies a lookup of "Version".
--   * Every statement is re-runnable: IF NOT EXISTS, CREATE OR REPLACE and
--     upserts into OrleansQuery.  The migration runner executes each file as
--     a single command inside one transaction.
--   * Times are timestamptz: Orleans binds DateTime values with
--     DbType.DateTime, which Npgsql sends as timestamptz (UTC).
-- =============================================================================

-- Registry of the query texts the Orleans ADO.NET providers execute.
-- Orleans reads it with: SELECT QueryKey, QueryText FROM OrleansQuery
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey   varchar(64) NOT NULL,
    QueryText  text        NOT NULL,
    CONSTRAINT orleansquery_pk PRIMARY KEY (QueryKey)
);

-- One row per cluster (Orleans calls it DeploymentId = ClusterId).  The
-- version is the membership table's optimistic-concurrency token: every
-- successful join/update of a silo row bumps it by one.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id  varchar(150) NOT NULL,
    version        integer      NOT NULL DEFAULT 0,
    changed_at     timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT orleans_membership_version_pk PRIMARY KEY (deployment_id)
);

-- One row per silo incarnation (address + port + generation).
CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id    varchar(150) NOT NULL,
    address          varchar(45)  NOT NULL,
    port             integer      NOT NULL,
    generation       integer      NOT NULL,
    silo_name        varchar(150) NOT NULL,
    host_name        varchar(150) NOT NULL,
    status           integer      NOT NULL,
    proxy_port       integer      NOT NULL DEFAULT 0,
    suspect_times    text         NULL,
    start_time       timestamptz  NOT NULL,
    i_am_alive_time  timestamptz  NOT NULL,
    CONSTRAINT orleans_membership_pk
        PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT orleans_membership_cluster_fk
        FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id)
        ON DELETE CASCADE
);

-- -----------------------------------------------------------------------------
-- Helper: add a silo row, guarded by the cluster version.
-- Returns true only if the expected version matched AND the silo row did not
-- exist yet; in that case the cluster version is bumped.  Otherwise nothing is
-- changed and false is returned (Orleans then re-reads and retries).
-- The version row is locked first so concurrent joins/updates serialise.
-- -----------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION actors_membership_join(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_silo_name        text,
    p_host_name        text,
    p_status           integer,
    p_proxy_port       integer,
    p_start_time       timestamptz,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $join$
DECLARE
    v_current integer;
BEGIN
    SELECT mv.version INTO v_current
      FROM orleans_membership_version mv
     WHERE mv.deployment_id = p_deployment_id
       FOR UPDATE;

    IF NOT FOUND OR v_current IS DISTINCT FROM p_expected_version THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name,
         status, proxy_port, start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name,
         p_status, coalesce(p_proxy_port, 0), p_start_time, p_i_am_alive_time)
    ON CONFLICT ON CONSTRAINT orleans_membership_pk DO NOTHING;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
       SET version = version + 1, changed_at = now()
     WHERE deployment_id = p_deployment_id;

    RETURN true;
END
$join$;

-- -----------------------------------------------------------------------------
-- Helper: change status / suspicions / liveness of an existing silo row,
-- guarded by the cluster version (same rules as actors_membership_join).
-- -----------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION actors_membership_update(
    p_deployment_id    text,
    p_address          text,
    p_port             integer,
    p_generation       integer,
    p_status           integer,
    p_suspect_times    text,
    p_i_am_alive_time  timestamptz,
    p_expected_version integer)
RETURNS boolean
LANGUAGE plpgsql
AS $upd$
DECLARE
    v_current integer;
BEGIN
    SELECT mv.version INTO v_current
      FROM orleans_membership_version mv
     WHERE mv.deployment_id = p_deployment_id
       FOR UPDATE;

    IF NOT FOUND OR v_current IS DISTINCT FROM p_expected_version THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership m
       SET status          = p_status,
           suspect_times   = p_suspect_times,
           i_am_alive_time = p_i_am_alive_time
     WHERE m.deployment_id = p_deployment_id
       AND m.address       = p_address
       AND m.port          = p_port
       AND m.generation    = p_generation;

    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership_version
       SET version = version + 1, changed_at = now()
     WHERE deployment_id = p_deployment_id;

    RETURN true;
END
$upd$;

-- -----------------------------------------------------------------------------
-- Query texts.  Result-column contract (read by name):
--   read row / read all : Version (always present; the version row is the
--                         left side of an outer join so an empty cluster still
--                         yields one row), Address, Port, Generation, SiloName,
--                         HostName, Status, ProxyPort, SuspectTimes, StartTime,
--                         IAmAliveTime (NULL StartTime = "no silo in this row")
--   gateways            : Address, ProxyPort, Generation
--   insert version / insert / update : one row, one column, truthy = success
-- -----------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 AS created FROM created;
$q$),

('InsertMembershipKey', $q$
SELECT actors_membership_join(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS applied;
$q$),

('UpdateMembershipKey', $q$
SELECT actors_membership_update(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version) AS applied;
$q$),

('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
   SET i_am_alive_time = @IAmAliveTime
 WHERE deployment_id = @DeploymentId
   AND address       = @Address
   AND port          = @Port
   AND generation    = @Generation;
$q$),

('MembershipReadRowKey', $q$
SELECT mv.version         AS Version,
       m.address          AS Address,
       m.port             AS Port,
       m.generation       AS Generation,
       m.silo_name        AS SiloName,
       m.host_name        AS HostName,
       m.status           AS Status,
       m.proxy_port       AS ProxyPort,
       m.suspect_times    AS SuspectTimes,
       m.start_time       AS StartTime,
       m.i_am_alive_time  AS IAmAliveTime
  FROM orleans_membership_version mv
  LEFT JOIN orleans_membership m
         ON m.deployment_id = mv.deployment_id
        AND m.address       = @Address
        AND m.port          = @Port
        AND m.generation    = @Generation
 WHERE mv.deployment_id = @DeploymentId;
$q$),

('MembershipReadAllKey', $q$
SELECT mv.version         AS Version,
       m.address          AS Address,
       m.port             AS Port,
       m.generation       AS Generation,
       m.silo_name        AS SiloName,
       m.host_name        AS HostName,
       m.status           AS Status,
       m.proxy_port       AS ProxyPort,
       m.suspect_times    AS SuspectTimes,
       m.start_time       AS StartTime,
       m.i_am_alive_time  AS IAmAliveTime
  FROM orleans_membership_version mv
  LEFT JOIN orleans_membership m
         ON m.deployment_id = mv.deployment_id
 WHERE mv.deployment_id = @DeploymentId;
$q$),

('GatewaysQueryKey', $q$
SELECT m.address     AS Address,
       m.proxy_port  AS ProxyPort,
       m.generation  AS Generation
  FROM orleans_membership m
 WHERE m.deployment_id = @DeploymentId
   AND m.status        = @Status
   AND m.proxy_port    > 0;
$q$),

-- Dropping the cluster's version row removes its silo rows too (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version
 WHERE deployment_id = @DeploymentId;
$q$),

-- Removes silos that stopped heart-beating before @IAmAliveTime and are not
-- Active (SiloStatus.Active = 3), the same rule the other Orleans providers use.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
 WHERE deployment_id   = @DeploymentId
   AND i_am_alive_time < @IAmAliveTime
   AND status         <> 3;
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
