-- Links and the works' titles and authors feed the study full-text index (0001) and what a study
-- cites, so a write to them moves summary_state.generation like a write to the studies does
-- (0002). Whatever is kept per generation (the column store's text postings and cited works,
-- src/columns) is then rebuilt after such a write instead of answering from the old text.
CREATE TRIGGER `citation_links_generation_ai` AFTER INSERT ON `citation_links` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `citation_links_generation_au` AFTER UPDATE ON `citation_links` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `citation_links_generation_ad` AFTER DELETE ON `citation_links` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `works_generation_au` AFTER UPDATE OF title, authors ON `works` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
