PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_email_outbox` (
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
	`message_id` text,
	`acknowledged_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	CONSTRAINT "email_outbox_state_ck" CHECK(state in ('pending','sending','retrying','sent','kept','dead'))
);
--> statement-breakpoint
INSERT INTO `__new_email_outbox`("id", "to_address", "subject", "template", "html", "text", "attachments", "state", "attempts", "next_attempt_at", "locked_until", "last_error", "sent_at", "related_entity", "related_id", "message_id", "acknowledged_at", "created_at") SELECT "id", "to_address", "subject", "template", "html", "text", "attachments", "state", "attempts", "next_attempt_at", "locked_until", "last_error", "sent_at", "related_entity", "related_id", "message_id", "acknowledged_at", "created_at" FROM `email_outbox`;--> statement-breakpoint
DROP TABLE `email_outbox`;--> statement-breakpoint
ALTER TABLE `__new_email_outbox` RENAME TO `email_outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `email_outbox_due_idx` ON `email_outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `email_outbox_message_id_uq` ON `email_outbox` (`message_id`);