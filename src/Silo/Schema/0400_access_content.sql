-- Which content a publisher's path is, for HEAD discovery. Written by each content grain.
CREATE TABLE IF NOT EXISTS access_content_paths (
    domain     text NOT NULL,
    path       text NOT NULL,
    content_id text NOT NULL,
    PRIMARY KEY (domain, path)
);

CREATE UNIQUE INDEX IF NOT EXISTS access_content_paths_content ON access_content_paths (domain, content_id);
