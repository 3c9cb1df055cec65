ALTER TABLE `email_outbox` ADD `message_id` text;--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `acknowledged_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `email_outbox_message_id_uq` ON `email_outbox` (`message_id`);