CREATE TABLE `activities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`kind` text NOT NULL,
	`summary` text NOT NULL,
	`body` text,
	`from_stage` text,
	`to_stage` text,
	`visit_id` integer,
	`request_id` integer,
	`user_id` integer,
	`occurred_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`request_id`) REFERENCES `visit_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "activities_kind_ck" CHECK(kind in ('call','email','meeting','visit','note','stage_change','request','approval','result','task','import','merge'))
);
--> statement-breakpoint
CREATE INDEX `activities_org_time_idx` ON `activities` (`organisation_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `approvals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`visit_id` integer,
	`schedule_month` text,
	`decision` text NOT NULL,
	`comment` text,
	`snapshot` text,
	`decided_by_id` integer NOT NULL,
	`decided_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "approvals_decision_ck" CHECK(decision in ('approved','changes_requested','declined','agreed')),
	CONSTRAINT "approvals_target_ck" CHECK(("approvals"."visit_id" is null) <> ("approvals"."schedule_month" is null))
);
--> statement-breakpoint
CREATE INDEX `approvals_visit_idx` ON `approvals` (`visit_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`user_id` integer,
	`action` text NOT NULL,
	`entity` text,
	`entity_id` text,
	`detail` text,
	`ip` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`name_kana` text,
	`phone` text,
	`email` text,
	`notes` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `districts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`name_kana` text,
	`population` integer DEFAULT 0 NOT NULL,
	`cards_issued` integer DEFAULT 0 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "districts_counts_ck" CHECK("districts"."population" >= 0 and "districts"."cards_issued" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `districts_name_uq` ON `districts` (`name`);--> statement-breakpoint
CREATE TABLE `email_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`template` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`attachments` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`locked_until` text,
	`last_error` text,
	`sent_at` text,
	`related_entity` text,
	`related_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "email_outbox_state_ck" CHECK(state in ('pending','sending','sent','dead'))
);
--> statement-breakpoint
CREATE INDEX `email_outbox_due_idx` ON `email_outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `import_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`file_name` text NOT NULL,
	`status` text NOT NULL,
	`total_rows` integer DEFAULT 0 NOT NULL,
	`processed_rows` integer DEFAULT 0 NOT NULL,
	`created_rows` integer DEFAULT 0 NOT NULL,
	`errors` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `inquiries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`visit_id` integer,
	`received_on` text NOT NULL,
	`topic` text NOT NULL,
	`summary` text,
	`count` integer DEFAULT 1 NOT NULL,
	`created_by_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inquiries_received_idx` ON `inquiries` (`received_on`);--> statement-breakpoint
CREATE TABLE `login_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`ip` text,
	`success` integer NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `login_attempts_email_at_idx` ON `login_attempts` (`email`,`at`);--> statement-breakpoint
CREATE INDEX `login_attempts_ip_at_idx` ON `login_attempts` (`ip`,`at`);--> statement-breakpoint
CREATE TABLE `organisation_contacts` (
	`organisation_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`role` text,
	`is_primary` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`organisation_id`, `contact_id`),
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `org_contacts_contact_idx` ON `organisation_contacts` (`contact_id`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`name_kana` text,
	`search_key` text NOT NULL,
	`kind` text NOT NULL,
	`district_id` integer,
	`postal_code` text,
	`address` text,
	`phone` text,
	`phone_key` text,
	`email` text,
	`head_count` integer,
	`expected_applicants` integer,
	`stage` text DEFAULT 'uncontacted' NOT NULL,
	`stage_changed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`lost_reason` text,
	`lost_at_stage` text,
	`owner_id` integer,
	`next_action_on` text,
	`next_action_note` text,
	`last_activity_at` text,
	`possible_duplicate_of_id` integer,
	`merged_into_id` integer,
	`notes` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`possible_duplicate_of_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`merged_into_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "organisations_kind_ck" CHECK(kind in ('company','neighbourhood','welfare','school','medical','other')),
	CONSTRAINT "organisations_stage_ck" CHECK(stage in ('uncontacted','contacted','consulting','applied','awaiting_city','confirmed','visited','lost','revisit')),
	CONSTRAINT "organisations_counts_ck" CHECK(coalesce("organisations"."head_count", 0) >= 0 and coalesce("organisations"."expected_applicants", 0) >= 0)
);
--> statement-breakpoint
CREATE INDEX `organisations_search_key_idx` ON `organisations` (`search_key`);--> statement-breakpoint
CREATE INDEX `organisations_phone_key_idx` ON `organisations` (`phone_key`);--> statement-breakpoint
CREATE INDEX `organisations_email_idx` ON `organisations` (`email`);--> statement-breakpoint
CREATE INDEX `organisations_stage_idx` ON `organisations` (`stage`);--> statement-breakpoint
CREATE INDEX `organisations_owner_idx` ON `organisations` (`owner_id`);--> statement-breakpoint
CREATE INDEX `organisations_district_idx` ON `organisations` (`district_id`);--> statement-breakpoint
CREATE INDEX `organisations_next_action_idx` ON `organisations` (`next_action_on`);--> statement-breakpoint
CREATE TABLE `postal_code_cache` (
	`postal_code` text PRIMARY KEY NOT NULL,
	`address` text,
	`fetched_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pr_activities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`medium` text NOT NULL,
	`title` text NOT NULL,
	`status` text NOT NULL,
	`planned_on` text,
	`done_on` text,
	`reach` integer,
	`reach_unit` text,
	`notes` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `programs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`fiscal_year` integer NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`target_group_visits` integer DEFAULT 100 NOT NULL,
	`target_roaming_visits` integer DEFAULT 100 NOT NULL,
	`target_base_accept` integer DEFAULT 10 NOT NULL,
	`target_base_support` integer DEFAULT 40 NOT NULL,
	`target_support_combined` integer DEFAULT 150 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "programs_dates_ck" CHECK("programs"."starts_on" <= "programs"."ends_on")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `programs_fiscal_year_uq` ON `programs` (`fiscal_year`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text NOT NULL,
	`window_start` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`key`, `window_start`)
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`kind` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`due_at` text NOT NULL,
	`body` text,
	`submitted_at` text,
	`submitted_by_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_period_uq` ON `reports` (`program_id`,`kind`,`period_start`);--> statement-breakpoint
CREATE TABLE `saved_filters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`query` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	`ip` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_by_id` integer,
	FOREIGN KEY (`updated_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `site_photos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`visit_id` integer NOT NULL,
	`stored_path` text NOT NULL,
	`mime_type` text NOT NULL,
	`caption` text,
	`uploaded_by_id` integer,
	`uploaded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer,
	`visit_id` integer,
	`title` text NOT NULL,
	`due_on` text,
	`assignee_id` integer,
	`done_at` text,
	`done_by_id` integer,
	`created_by_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`done_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tasks_assignee_due_idx` ON `tasks` (`assignee_id`,`due_on`);--> statement-breakpoint
CREATE INDEX `tasks_org_idx` ON `tasks` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`failed_logins` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`last_login_at` text,
	`calendar_token` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "users_role_ck" CHECK(role in ('admin','manager','outreach','city'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_calendar_token_uq` ON `users` (`calendar_token`);--> statement-breakpoint
CREATE TABLE `vehicles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`plate` text,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE `venues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`district_id` integer,
	`postal_code` text,
	`address` text,
	`parking_notes` text,
	`contact_name` text,
	`contact_phone` text,
	`organisation_id` integer,
	`notes` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "venues_kind_ck" CHECK(kind in ('supermarket','bank','public_facility','community_hall','shopping_centre','organisation_site','other'))
);
--> statement-breakpoint
CREATE INDEX `venues_district_idx` ON `venues` (`district_id`);--> statement-breakpoint
CREATE TABLE `visit_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`receipt_no` text NOT NULL,
	`status_token` text NOT NULL,
	`idempotency_key` text,
	`organisation_id` integer,
	`organisation_name` text NOT NULL,
	`organisation_kind` text NOT NULL,
	`postal_code` text NOT NULL,
	`address` text NOT NULL,
	`contact_name` text NOT NULL,
	`phone` text NOT NULL,
	`email` text NOT NULL,
	`expected_applicants` integer NOT NULL,
	`preferred_date_1` text NOT NULL,
	`preferred_slot_1` text NOT NULL,
	`preferred_date_2` text,
	`preferred_slot_2` text,
	`preferred_date_3` text,
	`preferred_slot_3` text,
	`venue_text` text NOT NULL,
	`parking` text NOT NULL,
	`message` text,
	`possible_duplicate` integer DEFAULT false NOT NULL,
	`source` text DEFAULT 'web' NOT NULL,
	`cancelled_at` text,
	`cancel_reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "visit_requests_applicants_ck" CHECK("visit_requests"."expected_applicants" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `visit_requests_receipt_uq` ON `visit_requests` (`receipt_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `visit_requests_token_uq` ON `visit_requests` (`status_token`);--> statement-breakpoint
CREATE UNIQUE INDEX `visit_requests_idem_uq` ON `visit_requests` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `visit_requests_org_idx` ON `visit_requests` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `visit_results` (
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
	`recorded_by_id` integer,
	`recorded_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "visit_results_counts_ck" CHECK("visit_results"."accept_count" >= 0 and "visit_results"."support_online_count" >= 0 and "visit_results"."support_mail_count" >= 0 and "visit_results"."fallback_count" >= 0 and "visit_results"."in_city_count" >= 0 and "visit_results"."out_of_city_count" >= 0 and "visit_results"."inquiry_count" >= 0),
	CONSTRAINT "visit_results_residence_ck" CHECK("visit_results"."in_city_count" + "visit_results"."out_of_city_count" = "visit_results"."accept_count" + "visit_results"."support_online_count" + "visit_results"."support_mail_count")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `visit_results_visit_uq` ON `visit_results` (`visit_id`);--> statement-breakpoint
CREATE TABLE `visits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`kind` text NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`title` text NOT NULL,
	`request_id` integer,
	`organisation_id` integer,
	`venue_id` integer,
	`vehicle_id` integer,
	`date` text,
	`starts_at` text,
	`ends_at` text,
	`hold_starts_at` text,
	`hold_ends_at` text,
	`expected_applicants` integer,
	`owner_id` integer,
	`notes` text,
	`status_reason` text,
	`status_changed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`reminder_sent_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`request_id`) REFERENCES `visit_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`vehicle_id`) REFERENCES `vehicles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "visits_kind_ck" CHECK(kind in ('group','roaming','base')),
	CONSTRAINT "visits_mode_ck" CHECK(mode in ('accept','support')),
	CONSTRAINT "visits_status_ck" CHECK(status in ('requested','screening','awaiting_city','changes_requested','approved','completed','declined','cancelled','planned','agreed')),
	CONSTRAINT "visits_times_ck" CHECK("visits"."starts_at" is null or "visits"."ends_at" is null or "visits"."starts_at" < "visits"."ends_at"),
	CONSTRAINT "visits_hold_ck" CHECK("visits"."hold_starts_at" is null or "visits"."hold_starts_at" < "visits"."hold_ends_at"),
	CONSTRAINT "visits_base_no_car_ck" CHECK("visits"."kind" <> 'base' or "visits"."vehicle_id" is null),
	CONSTRAINT "visits_group_org_ck" CHECK("visits"."kind" <> 'group' or "visits"."organisation_id" is not null)
);
--> statement-breakpoint
CREATE INDEX `visits_date_idx` ON `visits` (`date`);--> statement-breakpoint
CREATE INDEX `visits_status_idx` ON `visits` (`status`);--> statement-breakpoint
CREATE INDEX `visits_vehicle_hold_idx` ON `visits` (`vehicle_id`,`hold_starts_at`);--> statement-breakpoint
CREATE INDEX `visits_org_idx` ON `visits` (`organisation_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `visits_request_uq` ON `visits` (`request_id`);