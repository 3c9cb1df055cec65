CREATE TABLE `crm_proposals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer NOT NULL,
	`request_id` integer NOT NULL,
	`visit_id` integer,
	`state` text DEFAULT 'pending' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`decided_at` text,
	`decided_by_id` integer,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`request_id`) REFERENCES `visit_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "crm_proposals_state_ck" CHECK(state in ('pending','applied','dismissed'))
);
--> statement-breakpoint
CREATE INDEX `crm_proposals_org_state_idx` ON `crm_proposals` (`organisation_id`,`state`);--> statement-breakpoint
CREATE UNIQUE INDEX `crm_proposals_request_uq` ON `crm_proposals` (`request_id`);