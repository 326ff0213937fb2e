-- Incident categories as a configured, two-level list (issue 18): a code (a child's is its parent's code, a dot and
-- its own part), a Chinese name, its place in the list, whether new reports may use it, and what it counts as in the
-- statistics (dispute: 化解率 and the four-no villages' dispute backlog; publicSecurity, criminal: the four-no
-- villages' cases; safetyHazard; petition). Categories are never deleted, only retired, so every stored code keeps its name.
CREATE TABLE cc_category (
    code       text     PRIMARY KEY,
    name       text     NOT NULL,
    sort_order integer  NOT NULL,
    active     boolean  NOT NULL,
    counts_as  text[]   NOT NULL
);

-- Bumped by every change to cc_category, so each host knows when to reload its copy.
CREATE TABLE cc_category_version (
    version    bigint      NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO cc_category_version VALUES (0, now());

-- The default list: the categories of the source articles (../shared/DOMAIN.md), and those the product raises itself.
INSERT INTO cc_category (code, name, sort_order, active, counts_as) VALUES
    ('dispute',              '矛盾纠纷',     10, true, '{dispute}'),
    ('dispute.family',       '婚姻家庭纠纷', 11, true, '{dispute}'),
    ('dispute.neighbor',     '邻里纠纷',     12, true, '{dispute}'),
    ('dispute.labor',        '劳资纠纷',     13, true, '{dispute}'),
    ('dispute.traffic',      '交通事故纠纷', 14, true, '{dispute}'),
    ('dispute.medical',      '医疗纠纷',     15, true, '{dispute}'),
    ('dispute.land',         '农村土地纠纷', 16, true, '{dispute}'),
    ('dispute.water',        '用水纠纷',     17, true, '{dispute}'),
    ('dispute.property',     '物业纠纷',     18, true, '{dispute}'),
    ('security',             '治安隐患',     20, true, '{safetyHazard}'),
    ('public-order',         '治安案件',     25, true, '{publicSecurity}'),
    ('criminal',             '刑事案件',     27, true, '{criminal}'),
    ('safety',               '安全隐患',     30, true, '{safetyHazard}'),
    ('safety.construction',  '施工安全',     31, true, '{safetyHazard}'),
    ('safety.traffic',       '交通安全',     32, true, '{safetyHazard}'),
    ('safety.fire',          '消防安全',     33, true, '{safetyHazard}'),
    ('safety.electric',      '用电安全',     34, true, '{safetyHazard}'),
    ('key-person',           '重点人员',     40, true, '{}'),
    ('petition',             '信访',         50, true, '{petition}'),
    ('service',              '民生服务',     60, true, '{}'),
    ('sanitation',           '环境卫生',     70, true, '{}'),
    ('facility',             '市政设施',     80, true, '{}'),
    ('facility.camera',      '监控设施故障', 81, true, '{}'),
    ('other',                '其他',         90, true, '{}');

-- Until now a category was free text. Each stored one is mapped once: a default name (or a code) to its code, the
-- camera alarm's 设施故障 to facility.camera, anything else to other; the reported event keeps what was typed.
CREATE TEMPORARY TABLE category_map ON COMMIT DROP AS
SELECT typed, COALESCE(
        (SELECT code FROM cc_category c WHERE c.name = typed OR c.code = typed),
        CASE WHEN typed = '设施故障' THEN 'facility.camera' END,
        'other') AS code
FROM (SELECT DISTINCT category AS typed FROM cc_incident
      UNION SELECT DISTINCT category FROM cc_alert
      UNION SELECT DISTINCT unnest(alert_categories) FROM cc_account) t;

UPDATE cc_incident i SET category = m.code, details = jsonb_set(details, '{category}', to_jsonb(m.code))
FROM category_map m WHERE i.category = m.typed AND m.code <> m.typed;

UPDATE cc_incident_event e
SET data = jsonb_set(data, '{report,category}', to_jsonb(m.code)) || jsonb_build_object('categoryAsReported', m.typed)
FROM category_map m
WHERE e.kind = 'reported' AND e.data->'report'->>'category' = m.typed AND m.code <> m.typed;

UPDATE cc_feed_entry f SET payload = jsonb_set(payload, '{category}', to_jsonb(m.code))
FROM category_map m WHERE f.payload->>'category' = m.typed AND m.code <> m.typed;

UPDATE cc_alert a SET category = m.code FROM category_map m WHERE a.category = m.typed AND m.code <> m.typed;

UPDATE cc_account a
SET alert_categories = (SELECT array_agg(DISTINCT m.code ORDER BY m.code) FROM unnest(a.alert_categories) t(typed)
                        JOIN category_map m USING (typed))
WHERE alert_categories IS NOT NULL AND cardinality(alert_categories) > 0;
