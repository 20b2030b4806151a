-- Full-text search over each study's condition, method text and its linked work's title and
-- authors (the `q` parameter of /v1/studies). One row per study, rowid = studies.id. The text
-- comes from three tables, so the index is kept current by triggers on all three rather than by
-- an external-content table; a second review's rows are indexed the moment they are inserted.
CREATE VIEW `studies_fts_source` AS
SELECT s.id AS study_id,
       s.condition || ' ' || s.condition_printed AS condition,
       s.method_text AS method,
       coalesce(w.title, '') AS title,
       coalesce(w.authors, '') || ' ' || s.authors_printed AS authors
FROM studies s
LEFT JOIN citation_links cl ON cl.study_id = s.id
LEFT JOIN works w ON w.id = cl.work_id;
--> statement-breakpoint
CREATE VIRTUAL TABLE `studies_fts` USING fts5(condition, method, title, authors, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO studies_fts(rowid, condition, method, title, authors)
SELECT study_id, condition, method, title, authors FROM studies_fts_source;
--> statement-breakpoint
CREATE TRIGGER `studies_fts_ai` AFTER INSERT ON `studies` BEGIN
  INSERT INTO studies_fts(rowid, condition, method, title, authors)
  SELECT study_id, condition, method, title, authors FROM studies_fts_source WHERE study_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_fts_au` AFTER UPDATE ON `studies` BEGIN
  DELETE FROM studies_fts WHERE rowid = OLD.id;
  INSERT INTO studies_fts(rowid, condition, method, title, authors)
  SELECT study_id, condition, method, title, authors FROM studies_fts_source WHERE study_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_fts_ad` AFTER DELETE ON `studies` BEGIN
  DELETE FROM studies_fts WHERE rowid = OLD.id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_fts_link_ai` AFTER INSERT ON `citation_links` BEGIN
  DELETE FROM studies_fts WHERE rowid = NEW.study_id;
  INSERT INTO studies_fts(rowid, condition, method, title, authors)
  SELECT study_id, condition, method, title, authors FROM studies_fts_source WHERE study_id = NEW.study_id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_fts_link_au` AFTER UPDATE ON `citation_links` BEGIN
  DELETE FROM studies_fts WHERE rowid IN (OLD.study_id, NEW.study_id);
  INSERT INTO studies_fts(rowid, condition, method, title, authors)
  SELECT study_id, condition, method, title, authors FROM studies_fts_source WHERE study_id IN (OLD.study_id, NEW.study_id);
END;
--> statement-breakpoint
CREATE TRIGGER `studies_fts_link_ad` AFTER DELETE ON `citation_links` BEGIN
  DELETE FROM studies_fts WHERE rowid = OLD.study_id;
  INSERT INTO studies_fts(rowid, condition, method, title, authors)
  SELECT study_id, condition, method, title, authors FROM studies_fts_source WHERE study_id = OLD.study_id;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_fts_work_au` AFTER UPDATE OF title, authors ON `works` BEGIN
  DELETE FROM studies_fts WHERE rowid IN (SELECT study_id FROM citation_links WHERE work_id = NEW.id);
  INSERT INTO studies_fts(rowid, condition, method, title, authors)
  SELECT study_id, condition, method, title, authors FROM studies_fts_source
  WHERE study_id IN (SELECT study_id FROM citation_links WHERE work_id = NEW.id);
END;
