-- Label counts of a multi-hot table, in one pass: the number of rows, each
-- label's positive rows, and the rows with no label. Plain ANSI SQL over a
-- view named `labels` with one 0/1 integer column per label (l0 … l19), so
-- the same file runs unchanged on DuckDB and on Spark SQL; the runner defines
-- the view over the Parquet files (see docs/guides/counting-at-scale.md).
SELECT
  COUNT(*) AS samples,
  SUM(CASE WHEN l0 + l1 + l2 + l3 + l4 + l5 + l6 + l7 + l8 + l9 + l10 + l11 + l12 + l13 + l14 + l15 + l16 + l17 + l18 + l19 = 0 THEN 1 ELSE 0 END) AS empty_rows,
  SUM(l0) AS l0,
  SUM(l1) AS l1,
  SUM(l2) AS l2,
  SUM(l3) AS l3,
  SUM(l4) AS l4,
  SUM(l5) AS l5,
  SUM(l6) AS l6,
  SUM(l7) AS l7,
  SUM(l8) AS l8,
  SUM(l9) AS l9,
  SUM(l10) AS l10,
  SUM(l11) AS l11,
  SUM(l12) AS l12,
  SUM(l13) AS l13,
  SUM(l14) AS l14,
  SUM(l15) AS l15,
  SUM(l16) AS l16,
  SUM(l17) AS l17,
  SUM(l18) AS l18,
  SUM(l19) AS l19
FROM labels;
