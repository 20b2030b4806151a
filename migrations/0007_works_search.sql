-- A trigram index over each work's title, author names and venue, so the reference search
-- (`q` of /v1/references: a substring of any of the three) reads the few candidate works instead
-- of every work's authors as JSON (1.1–3.7 s at 800,000 works). It only narrows: the query keeps
-- its exact LIKE test on the candidates (src/queries/references.ts). Trigrams of any case match a
-- superset of what ASCII-case-insensitive LIKE matches, and without positions (detail=none) each
-- trigram is tested on its own, which again can only add candidates. Contentless, so the text is
-- not stored twice; the triggers below keep it in step with `works`.
CREATE VIEW `works_search_source` AS
SELECT w.id AS work_id,
       w.title AS title,
       -- Authors not held as JSON (written by another program) are indexed as they are, so such a
       -- write is not refused here; the search's exact test reads them as it always has.
       CASE WHEN json_valid(w.authors) THEN (SELECT group_concat(a.value, char(10)) FROM json_each(w.authors) a) ELSE w.authors END AS authors,
       coalesce(w.venue, '') AS venue
FROM works w;
--> statement-breakpoint
CREATE VIRTUAL TABLE `works_search` USING fts5(title, authors, venue, tokenize = 'trigram', content = '', contentless_delete = 1, detail = none);
--> statement-breakpoint
INSERT INTO works_search(rowid, title, authors, venue) SELECT work_id, title, authors, venue FROM works_search_source;
--> statement-breakpoint
CREATE TRIGGER `works_search_ai` AFTER INSERT ON `works` BEGIN
  INSERT INTO works_search(rowid, title, authors, venue) SELECT work_id, title, authors, venue FROM works_search_source WHERE work_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `works_search_au` AFTER UPDATE OF id, title, authors, venue ON `works` BEGIN
  DELETE FROM works_search WHERE rowid = OLD.id;
  INSERT INTO works_search(rowid, title, authors, venue) SELECT work_id, title, authors, venue FROM works_search_source WHERE work_id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER `works_search_ad` AFTER DELETE ON `works` BEGIN
  DELETE FROM works_search WHERE rowid = OLD.id;
END;
