-- The video wall's layout per person (issue 6): tile count, how tiles are filled, the cameras chosen, the refresh
-- interval. A preference, not a governance record: overwritten in place and not audited.
CREATE TABLE cc_video_wall_layout (
    account_id text PRIMARY KEY,
    layout jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);
