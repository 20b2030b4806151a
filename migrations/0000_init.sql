CREATE TABLE `citation_links` (
	`study_id` integer PRIMARY KEY NOT NULL,
	`printed` text NOT NULL,
	`printed_number` integer,
	`work_id` integer,
	`confidence` text NOT NULL,
	`status` text NOT NULL,
	`evidence` text NOT NULL,
	`reason` text,
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`work_id`) REFERENCES `works`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `citation_links_work_idx` ON `citation_links` (`work_id`);--> statement-breakpoint
CREATE TABLE `corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`review_id` text NOT NULL,
	`location` text NOT NULL,
	`field` text NOT NULL,
	`printed` text NOT NULL,
	`corrected` text NOT NULL,
	`reason` text NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `method_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`review_id` text NOT NULL,
	`kind` text NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`attributes` text NOT NULL,
	`source` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `method_items_kind_slug_idx` ON `method_items` (`review_id`,`kind`,`slug`);--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`authors` text NOT NULL,
	`affiliations` text NOT NULL,
	`submitted` text,
	`reviewed` text,
	`accepted` text,
	`keywords` text NOT NULL,
	`citation` text NOT NULL,
	`source_file` text NOT NULL,
	`data_hash` text NOT NULL,
	`loaded_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `studies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`review_id` text NOT NULL,
	`organ` text NOT NULL,
	`condition_printed` text NOT NULL,
	`condition` text NOT NULL,
	`method_text` text NOT NULL,
	`strategy` text,
	`year` integer,
	`modality` text,
	`modality_source` text,
	`authors_printed` text NOT NULL,
	`source_table` text NOT NULL,
	`source_row` integer NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `studies_source_idx` ON `studies` (`review_id`,`source_table`,`source_row`);--> statement-breakpoint
CREATE INDEX `studies_organ_idx` ON `studies` (`organ`,`id`);--> statement-breakpoint
CREATE INDEX `studies_strategy_idx` ON `studies` (`strategy`,`id`);--> statement-breakpoint
CREATE INDEX `studies_year_idx` ON `studies` (`year`,`id`);--> statement-breakpoint
CREATE INDEX `studies_modality_idx` ON `studies` (`modality`,`id`);--> statement-breakpoint
CREATE TABLE `study_backbones` (
	`study_id` integer NOT NULL,
	`backbone` text NOT NULL,
	PRIMARY KEY(`study_id`, `backbone`),
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `study_backbones_backbone_idx` ON `study_backbones` (`backbone`,`study_id`);--> statement-breakpoint
CREATE TABLE `study_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`study_id` integer NOT NULL,
	`metric` text NOT NULL,
	`value` real,
	`low` real,
	`high` real,
	`text` text NOT NULL,
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `study_results_study_metric_idx` ON `study_results` (`study_id`,`metric`);--> statement-breakpoint
CREATE INDEX `study_results_metric_value_idx` ON `study_results` (`metric`,`value`,`study_id`);--> statement-breakpoint
CREATE TABLE `work_entries` (
	`review_id` text NOT NULL,
	`position` integer NOT NULL,
	`printed_number` integer,
	`work_id` integer NOT NULL,
	`raw` text NOT NULL,
	PRIMARY KEY(`review_id`, `position`),
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`work_id`) REFERENCES `works`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `work_entries_work_idx` ON `work_entries` (`work_id`);--> statement-breakpoint
CREATE TABLE `works` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`review_id` text NOT NULL,
	`authors` text NOT NULL,
	`year` integer,
	`title` text NOT NULL,
	`venue` text,
	`volume` text,
	`issue` text,
	`pages` text,
	`raw` text NOT NULL,
	`off_topic` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `works_review_year_idx` ON `works` (`review_id`,`year`);