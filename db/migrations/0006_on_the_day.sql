CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`visit_id` integer NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`occurred_at` text NOT NULL,
	`what` text NOT NULL,
	`action_taken` text,
	`closed_at` text,
	`closed_by_id` integer,
	`reported_by_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reported_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "incidents_kind_ck" CHECK(kind in ('accident','complaint','other')),
	CONSTRAINT "incidents_severity_ck" CHECK(severity in ('minor','serious','urgent'))
);
--> statement-breakpoint
CREATE INDEX `incidents_visit_idx` ON `incidents` (`visit_id`);--> statement-breakpoint
CREATE INDEX `incidents_open_idx` ON `incidents` (`closed_at`,`severity`);--> statement-breakpoint
CREATE TABLE `kit_checks` (
	`visit_id` integer NOT NULL,
	`item_key` text NOT NULL,
	`checked_by_id` integer,
	`checked_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`visit_id`, `item_key`),
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`checked_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `roster_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`visit_id` integer NOT NULL,
	`staff_member_id` integer NOT NULL,
	`role` text NOT NULL,
	`added_by_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`staff_member_id`) REFERENCES `staff_members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`added_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "roster_entries_role_ck" CHECK(role in ('lead','staff','id_checker'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roster_entries_visit_member_uq` ON `roster_entries` (`visit_id`,`staff_member_id`);--> statement-breakpoint
CREATE INDEX `roster_entries_member_idx` ON `roster_entries` (`staff_member_id`);--> statement-breakpoint
CREATE TABLE `staff_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`name_kana` text,
	`affiliation` text NOT NULL,
	`user_id` integer,
	`phone` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "staff_members_affiliation_ck" CHECK(affiliation in ('contractor','city'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_members_user_uq` ON `staff_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `visit_result_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`visit_id` integer NOT NULL,
	`previous` text NOT NULL,
	`reason` text,
	`replaced_by_id` integer,
	`replaced_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`replaced_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visit_result_history_visit_idx` ON `visit_result_history` (`visit_id`,`replaced_at`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_inquiries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`visit_id` integer,
	`received_on` text NOT NULL,
	`topic` text NOT NULL,
	`summary` text,
	`count` integer DEFAULT 1 NOT NULL,
	`from_results` integer DEFAULT false NOT NULL,
	`created_by_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "inquiries_count_ck" CHECK("__new_inquiries"."count" > 0)
);
--> statement-breakpoint
INSERT INTO `__new_inquiries`("id", "channel", "visit_id", "received_on", "topic", "summary", "count", "created_by_id", "created_at") SELECT "id", "channel", "visit_id", "received_on", "topic", "summary", max("count", 1), "created_by_id", "created_at" FROM `inquiries`;--> statement-breakpoint
DROP TABLE `inquiries`;--> statement-breakpoint
ALTER TABLE `__new_inquiries` RENAME TO `inquiries`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `inquiries_received_idx` ON `inquiries` (`received_on`);--> statement-breakpoint
CREATE INDEX `inquiries_visit_idx` ON `inquiries` (`visit_id`);--> statement-breakpoint
ALTER TABLE `pr_activities` ADD `city_approved_on` text;--> statement-breakpoint
ALTER TABLE `pr_activities` ADD `city_approval_ref` text;--> statement-breakpoint
ALTER TABLE `pr_activities` ADD `created_by_id` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `pr_activities` ADD `updated_at` text;--> statement-breakpoint
ALTER TABLE `site_photos` ADD `thumb_path` text;--> statement-breakpoint
ALTER TABLE `site_photos` ADD `width` integer;--> statement-breakpoint
ALTER TABLE `site_photos` ADD `height` integer;--> statement-breakpoint
ALTER TABLE `site_photos` ADD `bytes` integer;--> statement-breakpoint
CREATE TABLE `__new_visit_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`visit_id` integer NOT NULL,
	`accept_count` integer DEFAULT 0 NOT NULL,
	`support_online_count` integer DEFAULT 0 NOT NULL,
	`support_mail_count` integer DEFAULT 0 NOT NULL,
	`fallback_count` integer DEFAULT 0 NOT NULL,
	`in_city_count` integer DEFAULT 0 NOT NULL,
	`out_of_city_count` integer DEFAULT 0 NOT NULL,
	`other_assistance` text DEFAULT '{}' NOT NULL,
	`inquiry_count` integer DEFAULT 0 NOT NULL,
	`notes` text,
	`incident` text,
	`accept_out_of_city_count` integer DEFAULT 0 NOT NULL,
	`support_online_out_of_city_count` integer DEFAULT 0 NOT NULL,
	`support_mail_out_of_city_count` integer DEFAULT 0 NOT NULL,
	`fallback_reasons` text DEFAULT '{}' NOT NULL,
	`revisit_wanted` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`recorded_by_id` integer,
	`recorded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_by_id` integer,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "visit_results_counts_ck" CHECK("__new_visit_results"."accept_count" >= 0 and "__new_visit_results"."support_online_count" >= 0 and "__new_visit_results"."support_mail_count" >= 0 and "__new_visit_results"."fallback_count" >= 0 and "__new_visit_results"."in_city_count" >= 0 and "__new_visit_results"."out_of_city_count" >= 0 and "__new_visit_results"."inquiry_count" >= 0),
	CONSTRAINT "visit_results_out_of_city_ck" CHECK("__new_visit_results"."accept_out_of_city_count" between 0 and "__new_visit_results"."accept_count" and "__new_visit_results"."support_online_out_of_city_count" between 0 and "__new_visit_results"."support_online_count" and "__new_visit_results"."support_mail_out_of_city_count" between 0 and "__new_visit_results"."support_mail_count"),
	CONSTRAINT "visit_results_residence_ck" CHECK("__new_visit_results"."in_city_count" + "__new_visit_results"."out_of_city_count" = "__new_visit_results"."accept_count" + "__new_visit_results"."support_online_count" + "__new_visit_results"."support_mail_count")
);
--> statement-breakpoint
INSERT INTO `__new_visit_results`("id", "visit_id", "accept_count", "support_online_count", "support_mail_count", "fallback_count", "in_city_count", "out_of_city_count", "other_assistance", "inquiry_count", "notes", "incident", "recorded_by_id", "recorded_at", "updated_at") SELECT "id", "visit_id", "accept_count", "support_online_count", "support_mail_count", "fallback_count", "in_city_count", "out_of_city_count", "other_assistance", "inquiry_count", "notes", "incident", "recorded_by_id", "recorded_at", "updated_at" FROM `visit_results`;--> statement-breakpoint
DROP TABLE `visit_results`;--> statement-breakpoint
ALTER TABLE `__new_visit_results` RENAME TO `visit_results`;--> statement-breakpoint
CREATE UNIQUE INDEX `visit_results_visit_uq` ON `visit_results` (`visit_id`);--> statement-breakpoint
-- The correction history is a record of what was first entered: never edited, never deleted.
CREATE TRIGGER `visit_result_history_no_update` BEFORE UPDATE ON `visit_result_history`
BEGIN SELECT RAISE(ABORT, 'visit_result_history is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `visit_result_history_no_delete` BEFORE DELETE ON `visit_result_history`
BEGIN SELECT RAISE(ABORT, 'visit_result_history is append-only'); END;
