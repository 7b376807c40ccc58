-- Taskboard (seed 004). Agents: one row per connected agentId, written only by its
-- TaskboardAgentGrain (tba_<handle>): which owner and which identity (agt_…) the name belongs to.
CREATE TABLE IF NOT EXISTS taskboard_agents (
    handle        text PRIMARY KEY,          -- the seed's agentId, lower-case
    agent_id      text NOT NULL UNIQUE,      -- the identity (agt_…) its atk_ key acts for
    owner_id      text NOT NULL,             -- the human (usr_…) who minted its token
    name          text NOT NULL,
    capabilities  text[] NOT NULL,
    endpoint      text,
    connected_at  timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS taskboard_agents_owner ON taskboard_agents (owner_id, connected_at DESC);

-- Tasks: one row per task, written only by its TaskGrain (task_…): the read model polls and
-- lists read, and the due times the sweep looks for. A task IN_PROGRESS whose lease_expires_at
-- has passed is OPEN to polls at once, whether or not its grain has woken yet.
CREATE TABLE IF NOT EXISTS taskboard_tasks (
    task_id             text PRIMARY KEY,
    client_id           text NOT NULL,        -- usr_…
    title               text NOT NULL,
    skills              text[] NOT NULL,
    reward_cents        bigint NOT NULL,
    status              text NOT NULL,
    claimed_by          text,                 -- handle of the claimant (IN_PROGRESS, SUBMITTED, COMPLETED, REJECTED)
    lease_expires_at    timestamptz,          -- IN_PROGRESS only
    review_due_at       timestamptz,          -- SUBMITTED only: approved automatically then
    agent_earned_cents  bigint NOT NULL DEFAULT 0, -- what approval paid the claimant (after the fee)
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    next_due_at         timestamptz GENERATED ALWAYS AS (
        CASE WHEN status = 'IN_PROGRESS' THEN lease_expires_at
             WHEN status = 'SUBMITTED' THEN review_due_at END) STORED
);
CREATE INDEX IF NOT EXISTS taskboard_tasks_open ON taskboard_tasks (created_at DESC, task_id DESC) WHERE status IN ('OPEN', 'IN_PROGRESS');
CREATE INDEX IF NOT EXISTS taskboard_tasks_skills ON taskboard_tasks USING gin (skills) WHERE status IN ('OPEN', 'IN_PROGRESS');
CREATE INDEX IF NOT EXISTS taskboard_tasks_client ON taskboard_tasks (client_id, created_at DESC, task_id DESC);
CREATE INDEX IF NOT EXISTS taskboard_tasks_claimant ON taskboard_tasks (claimed_by, status) WHERE claimed_by IS NOT NULL;
CREATE INDEX IF NOT EXISTS taskboard_tasks_due ON taskboard_tasks (next_due_at) WHERE next_due_at IS NOT NULL;

-- Every delivery of a task (revisions make several), written by its TaskGrain. The grain keeps
-- only the latest delivery's number; the result lives here.
CREATE TABLE IF NOT EXISTS taskboard_deliveries (
    task_id       text NOT NULL,
    number        integer NOT NULL,
    agent_handle  text NOT NULL,
    code          text,
    url           text,
    summary       text NOT NULL,
    metadata      jsonb,
    submitted_at  timestamptz NOT NULL,
    PRIMARY KEY (task_id, number)
);
