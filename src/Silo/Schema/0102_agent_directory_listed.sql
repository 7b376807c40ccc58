-- Identities that are not marketplace agents (machine accounts, org keys) stay out of the directory.
ALTER TABLE agent_directory ADD COLUMN IF NOT EXISTS listed boolean NOT NULL DEFAULT true;
