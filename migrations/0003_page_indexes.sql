DROP INDEX `studies_organ_idx`;--> statement-breakpoint
CREATE INDEX `studies_organ_idx` ON `studies` (`organ`,`id`,`strategy`,`modality`,`year`,`review_id`,`condition`);