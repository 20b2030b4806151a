CREATE TABLE `load_failures` (
	`dir` text PRIMARY KEY NOT NULL,
	`review_id` text,
	`problems` text NOT NULL,
	`failed_at` text NOT NULL
);
--> statement-breakpoint
DROP INDEX `work_entries_work_idx`;--> statement-breakpoint
ALTER TABLE `work_entries` ADD `cite_key` text;--> statement-breakpoint
CREATE INDEX `work_entries_work_idx` ON `work_entries` (`work_id`,`review_id`);--> statement-breakpoint
ALTER TABLE `studies` ADD `organ_printed` text;--> statement-breakpoint
ALTER TABLE `studies` ADD `strategy_printed` text;--> statement-breakpoint
ALTER TABLE `studies` ADD `dataset` text;--> statement-breakpoint
ALTER TABLE `studies` ADD `sample_size` integer;--> statement-breakpoint
ALTER TABLE `study_backbones` ADD `family` text;--> statement-breakpoint
ALTER TABLE `study_backbones` ADD `printed` text;--> statement-breakpoint
ALTER TABLE `study_results` ADD `scale` text;--> statement-breakpoint
ALTER TABLE `study_results` ADD `metric_printed` text;--> statement-breakpoint
ALTER TABLE `works` ADD `doi` text;--> statement-breakpoint
ALTER TABLE `works` ADD `url` text;--> statement-breakpoint
ALTER TABLE `works` ADD `type` text;--> statement-breakpoint
ALTER TABLE `works` ADD `csl` text;--> statement-breakpoint
ALTER TABLE `works` ADD `identity` text;--> statement-breakpoint
CREATE INDEX `works_identity_idx` ON `works` (`identity`);--> statement-breakpoint
CREATE INDEX `works_doi_idx` ON `works` (`doi`);--> statement-breakpoint
-- Accuracy was the one metric before scales were stored, always in percent. Setting the scale
-- changes no figure, so summaries that were current stay current (the triggers would mark them
-- stale: the flag is saved around the update and restored).
CREATE TABLE `_summary_was_current` AS SELECT (`built_generation` = `generation`) AS `current` FROM `summary_state` WHERE `id` = 1;
--> statement-breakpoint
UPDATE `study_results` SET `scale` = 'percent' WHERE `metric` = 'accuracy' AND `scale` IS NULL;
--> statement-breakpoint
UPDATE `summary_state` SET `built_generation` = `generation` WHERE `id` = 1 AND (SELECT `current` FROM `_summary_was_current`) = 1;
--> statement-breakpoint
DROP TABLE `_summary_was_current`;
