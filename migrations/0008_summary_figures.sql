-- Each summary group's statistics of a metric, kept beside its histograms (decision 0005, round 3).
-- A database migrated from before has figures_generation NULL: its statistics are walked from the
-- histograms, as before, until the next rebuild of the summaries fills the table.
CREATE TABLE `summary_figures` (
	`grouping` text NOT NULL,
	`metric` text NOT NULL,
	`k0` blob,
	`k1` blob,
	`k2` blob,
	`n` integer NOT NULL,
	`total` integer NOT NULL,
	`q1` real NOT NULL,
	`median` real NOT NULL,
	`q3` real NOT NULL,
	`min` real NOT NULL,
	`max` real NOT NULL
);
--> statement-breakpoint
CREATE INDEX `summary_figures_idx` ON `summary_figures` (`grouping`,`metric`,`k0`,`k1`,`k2`);--> statement-breakpoint
ALTER TABLE `summary_state` ADD `figures_generation` integer;--> statement-breakpoint
-- With no histogram at all (a new database) the empty table already holds every group's figures.
UPDATE `summary_state` SET `figures_generation` = `built_generation` WHERE `id` = 1 AND NOT EXISTS (SELECT 1 FROM `summary_bins`);
