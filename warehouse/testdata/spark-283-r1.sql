-- choucha sql：任务 CZ2026-283 第1轮的 CHOUCHA-SAMPLE-v1 抽取（方言 spark）。
-- 种子 20260401123456789012。算法见 docs/ALGORITHM.md 第2节，本脚本的写法见第8节。
-- 输入：表 firms，企业代码列 统一社会信用代码，分类列 信用风险分类，区县列 所属区县，登记状态列 登记状态。
-- 代码须是有效、规范的代码（先用 choucha roster check 检查）；同一代码的多行按 choucha 的规则合并或排除；代码为空或含 | 时脚本报错停止。

CREATE OR REPLACE TEMPORARY VIEW choucha_cells AS
SELECT upper(replace(replace(trim(coalesce(CAST(`统一社会信用代码` AS STRING), '')), ' ', ''), '　', '')) AS key,
  replace(replace(upper(replace(replace(trim(coalesce(CAST(`信用风险分类` AS STRING), '')), ' ', ''), '　', '')), '（', '('), '）', ')') AS c,
  upper(replace(replace(trim(coalesce(CAST(`所属区县` AS STRING), '')), ' ', ''), '　', '')) AS d,
  coalesce(CAST(`登记状态` AS STRING), '') AS s
FROM `firms`;

CREATE OR REPLACE TEMPORARY VIEW choucha_input AS
SELECT key, CASE
    WHEN c IN ('A', 'B', 'C', 'D') THEN c
    WHEN c IN ('', '未分类', '未分级', '未评级', '暂未分类', '无', '-', '/') THEN 'B'
    WHEN CASE WHEN (c RLIKE '(^|[^A-Za-z])A([^A-Za-z]|$)') OR (t RLIKE '<([(](信用)?(低风险|风险低|守信|低)(类)?(企业)?[)]|低风险|风险低|守信)>') THEN 1 ELSE 0 END
       + CASE WHEN (c RLIKE '(^|[^A-Za-z])B([^A-Za-z]|$)') OR (t RLIKE '<([(](信用)?(一般风险|风险一般|中风险|一般|警示)(类)?(企业)?[)]|一般风险|风险一般|中风险|警示)>') THEN 1 ELSE 0 END
       + CASE WHEN (c RLIKE '(^|[^A-Za-z])C([^A-Za-z]|$)') OR (t RLIKE '<([(](信用)?(中高风险|较高风险|风险较高|失信|较高)(类)?(企业)?[)]|中高风险|较高风险|风险较高|失信)>') THEN 1 ELSE 0 END
       + CASE WHEN (c RLIKE '(^|[^A-Za-z])D([^A-Za-z]|$)') OR (t RLIKE '<([(](信用)?(严重失信|风险高|高风险|高)(类)?(企业)?[)]|严重失信|风险高|高风险)>') THEN 1 ELSE 0 END > 1 THEN NULL
    WHEN (c RLIKE '^[A-D](类|级)?(企业|[(][^)]*[)])?$') THEN substr(c, 1, 1)
    WHEN (c RLIKE '^(信用)?(低风险|风险低|守信|低)(类)?(企业)?$') THEN 'A'
    WHEN (c RLIKE '^(信用)?(一般风险|风险一般|中风险|一般|警示)(类)?(企业)?$') THEN 'B'
    WHEN (c RLIKE '^(信用)?(中高风险|较高风险|风险较高|失信|较高)(类)?(企业)?$') THEN 'C'
    WHEN (c RLIKE '^(信用)?(严重失信|风险高|高风险|高)(类)?(企业)?$') THEN 'D'
    ELSE NULL
  END AS class, c IN ('', '未分类', '未分级', '未评级', '暂未分类', '无', '-', '/') AS uncl
FROM (SELECT x.*, CASE WHEN c IN ('A', 'B', 'C', 'D') OR c IN ('', '未分类', '未分级', '未评级', '暂未分类', '无', '-', '/') THEN '' ELSE regexp_replace(c, '([(](信用)?(一般风险|严重失信|中高风险|较高风险|风险一般|风险较高|中风险|低风险|风险低|风险高|高风险|一般|失信|守信|警示|较高|低|高)(类)?(企业)?[)]|一般风险|严重失信|中高风险|较高风险|风险一般|风险较高|中风险|低风险|风险低|风险高|高风险|失信|守信|警示)', '<$1>') END AS t FROM choucha_cells x
WHERE (d = '' OR d = '沁县' OR right(d, length('沁县')) = '沁县' OR right('沁县', length(d)) = d)
  AND NOT (regexp_replace(s, '(没有|不|无|未|非)(停业|吊销|撤销|歇业|注销|清算|迁出)', '#') RLIKE '停业|吊销|撤销|歇业|注销|清算|迁出')) z;

CREATE OR REPLACE TEMPORARY VIEW choucha_frame AS
SELECT key, coalesce(max(CASE WHEN NOT uncl THEN class END), 'B') AS class, CAST(count(*) AS INTEGER) AS nrows
FROM choucha_input
WHERE class IS NOT NULL
GROUP BY key
HAVING count(DISTINCT CASE WHEN NOT uncl THEN class END) <= 1;

CACHE TABLE choucha_earlier AS
SELECT CAST(NULL AS STRING) AS key WHERE 1 = 0;

CACHE TABLE choucha_pos AS
SELECT key, class, nrows, stratum, ticket, earlier, rank,
  CASE WHEN earlier THEN earlier_upto ELSE rank - earlier_upto END AS pos
FROM (
  SELECT t.*,
    row_number() OVER (PARTITION BY stratum ORDER BY ticket, key ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rank,
    sum(CASE WHEN earlier THEN 1 ELSE 0 END) OVER (PARTITION BY stratum ORDER BY ticket, key ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS earlier_upto
  FROM (
    SELECT f.key, f.class, f.nrows, f.class AS stratum, unhex(sha2('CHOUCHA-SAMPLE-v1|20260401123456789012|CZ2026-283|1|' || f.key, 256)) AS ticket, (e.key IS NOT NULL) AS earlier
    FROM choucha_frame f LEFT JOIN choucha_earlier e ON e.key = f.key
  ) t
) r;

-- 抽样框中的代码不得为空或含 |（docs/ALGORITHM.md 2.12），否则脚本停止。
CACHE TABLE choucha_check AS
SELECT CASE WHEN count(*) > 0 THEN raise_error('choucha: the frame has empty keys, or keys containing a vertical bar') END AS failed
FROM (SELECT key FROM choucha_pos WHERE key = '' OR instr(key, '|') > 0) bad;

CACHE TABLE choucha_strata AS
SELECT s.stratum, s.ord, s.ratio, s.a, s.b100,
  count(p.key) AS n_total,
  sum(CASE WHEN p.earlier THEN 1 ELSE 0 END) AS excluded,
  least(count(p.key), ((CAST(count(p.key) AS BIGINT) * s.a + s.b100 - 1) div (s.b100))) AS n
FROM VALUES
  ('A', 1, '5', 5, 100),
  ('B', 2, '7.5', 15, 200),
  ('C', 3, '10', 10, 100),
  ('D', 4, '15', 15, 100)
AS s(stratum, ord, ratio, a, b100)
LEFT JOIN choucha_pos p ON p.stratum = s.stratum
GROUP BY s.stratum, s.ord, s.ratio, s.a, s.b100;

CACHE TABLE choucha_by_ratio AS
SELECT p.*, s.ord
FROM choucha_pos p JOIN choucha_strata s ON s.stratum = p.stratum
WHERE (NOT p.earlier AND p.pos <= s.n)
   OR (p.earlier AND p.pos <= s.n - (s.n_total - s.excluded));

CACHE TABLE choucha_fill AS
SELECT p.*, 0 AS fill, 0 AS ord FROM choucha_pos p WHERE 1 = 0;

CACHE TABLE choucha_reserve AS
SELECT p.*, s.ord
FROM choucha_pos p JOIN choucha_strata s ON s.stratum = p.stratum
LEFT JOIN (SELECT stratum, count(*) AS added FROM choucha_fill WHERE NOT earlier GROUP BY stratum) a ON a.stratum = p.stratum
WHERE NOT p.earlier
  AND p.pos > s.n + coalesce(a.added, 0)
  AND p.pos <= s.n + coalesce(a.added, 0) + 5;

CACHE TABLE choucha_digest AS
SELECT lower(sha2('CHOUCHA-FRAME-v2' || chr(10) || array_join(transform(array_sort(collect_list(struct(bucket AS o, bucket || ' ' || d || chr(10) AS t))), x -> x.t), ''), 256)) AS digest FROM (
  SELECT bucket, lower(sha2(array_join(transform(array_sort(collect_list(struct(key AS o, line AS t))), x -> x.t), ''), 256)) AS d
  FROM (SELECT substr(lower(sha2(key, 256)), 1, 2) AS bucket, key, key || '|' || class || chr(10) AS line FROM choucha_pos) x
  GROUP BY bucket
) b;

-- 结果：每层一行（stratum），每户入选一行（selected），每户备选一行（reserve），抽样框一行（frame）。
SELECT kind, seq, stratum, key, class, ticket, rank, repeat, added, n_total, ratio, n, excluded, digest FROM (
  SELECT 'stratum' AS kind, ord AS seq, stratum, NULL AS key, NULL AS class, NULL AS ticket, NULL AS rank,
         NULL AS repeat, NULL AS added, n_total, ratio, n, excluded, NULL AS digest, 1 AS part, ord AS o1, 0 AS o2, '' AS o3
  FROM choucha_strata
  UNION ALL
  SELECT 'selected', 0, stratum, key, class, lower(hex(ticket)), rank, earlier, false, NULL, NULL, NULL, NULL, NULL, 2, ord, rank, ''
  FROM choucha_by_ratio
  UNION ALL
  SELECT 'selected', 0, stratum, key, class, lower(hex(ticket)), rank, earlier, true, NULL, NULL, NULL, NULL, NULL, 3, 0, fill, ''
  FROM choucha_fill
  UNION ALL
  SELECT 'reserve', 0, stratum, key, class, lower(hex(ticket)), rank, false, false, NULL, NULL, NULL, NULL, NULL, 4, ord, rank, ''
  FROM choucha_reserve
  UNION ALL
  SELECT 'frame', 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, (SELECT count(*) FROM choucha_pos), NULL, NULL,
         (SELECT count(*) FROM choucha_input) - (SELECT coalesce(sum(nrows), 0) FROM choucha_pos), digest, 5, 0, 0, ''
  FROM choucha_digest
) r
ORDER BY part, o1, o2, o3;
