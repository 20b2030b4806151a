-- The full-text index's vocabulary, one row per distinct term with the number of studies that
-- contain it (a view over studies_fts, no data of its own). A page with `q` expands each word's
-- prefix into the terms that carry it: FTS5 reads a list of whole terms lazily in rowid order,
-- where a prefix query first merges every posting of the prefix (10 ms for "transfer" at 1M).
CREATE VIRTUAL TABLE `studies_fts_terms` USING fts5vocab(`studies_fts`, 'row');
