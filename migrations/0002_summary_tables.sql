CREATE TABLE `summary_bins` (
	`grouping` text NOT NULL,
	`metric` text NOT NULL,
	`k0` blob,
	`k1` blob,
	`k2` blob,
	`bin` integer NOT NULL,
	`n` integer NOT NULL,
	`total` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `summary_bins_idx` ON `summary_bins` (`grouping`,`metric`,`k0`,`k1`,`k2`,`bin`,`n`,`total`);--> statement-breakpoint
CREATE TABLE `summary_counts` (
	`grouping` text NOT NULL,
	`k0` blob,
	`k1` blob,
	`k2` blob,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `summary_counts_idx` ON `summary_counts` (`grouping`,`k0`,`k1`,`k2`,`n`);--> statement-breakpoint
CREATE TABLE `summary_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`generation` integer NOT NULL,
	`built_generation` integer
);
--> statement-breakpoint
CREATE TABLE `summary_values` (
	`grouping` text NOT NULL,
	`metric` text NOT NULL,
	`k0` blob,
	`k1` blob,
	`k2` blob,
	`value` real NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `summary_values_idx` ON `summary_values` (`grouping`,`metric`,`k0`,`k1`,`k2`,`value`,`n`);--> statement-breakpoint
-- A database that already holds studies starts with stale summaries (built_generation NULL): the
-- queries scan until the loader or `npm run db:summarize` builds them.
INSERT INTO `summary_state` (`id`, `generation`, `built_generation`)
SELECT 1, 0, CASE WHEN EXISTS (SELECT 1 FROM `studies`) THEN NULL ELSE 0 END;
--> statement-breakpoint
CREATE TRIGGER `studies_generation_ai` AFTER INSERT ON `studies` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_generation_au` AFTER UPDATE ON `studies` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `studies_generation_ad` AFTER DELETE ON `studies` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `study_backbones_generation_ai` AFTER INSERT ON `study_backbones` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `study_backbones_generation_au` AFTER UPDATE ON `study_backbones` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `study_backbones_generation_ad` AFTER DELETE ON `study_backbones` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `study_results_generation_ai` AFTER INSERT ON `study_results` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `study_results_generation_au` AFTER UPDATE ON `study_results` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `study_results_generation_ad` AFTER DELETE ON `study_results` BEGIN
  UPDATE `summary_state` SET `generation` = `generation` + 1 WHERE `id` = 1;
END;
