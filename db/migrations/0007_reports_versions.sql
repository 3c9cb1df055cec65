PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`program_id` integer NOT NULL,
	`kind` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`due_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`body` text,
	`remarks` text,
	`change_summary` text,
	`submitted_at` text,
	`submitted_by_id` integer,
	`acknowledged_at` text,
	`acknowledged_by_id` integer,
	`created_by_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`program_id`) REFERENCES `programs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`acknowledged_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reports_kind_ck" CHECK(kind in ('daily','monthly','completion')),
	CONSTRAINT "reports_status_ck" CHECK(status in ('draft','submitted','acknowledged')),
	CONSTRAINT "reports_version_ck" CHECK("__new_reports"."version" >= 1),
	CONSTRAINT "reports_submitted_ck" CHECK("__new_reports"."status" = 'draft' or ("__new_reports"."body" is not null and "__new_reports"."submitted_at" is not null)),
	CONSTRAINT "reports_acknowledged_ck" CHECK("__new_reports"."status" <> 'acknowledged' or "__new_reports"."acknowledged_at" is not null)
);
--> statement-breakpoint
-- The old table had no versions: each row becomes version 1, submitted when it was (body and time recorded), else a draft.
INSERT INTO `__new_reports`("id", "program_id", "kind", "period_start", "period_end", "due_at", "version", "status", "body", "submitted_at", "submitted_by_id", "created_at", "updated_at") SELECT "id", "program_id", "kind", "period_start", "period_end", "due_at", 1, CASE WHEN "submitted_at" IS NOT NULL AND "body" IS NOT NULL THEN 'submitted' ELSE 'draft' END, "body", CASE WHEN "body" IS NOT NULL THEN "submitted_at" END, CASE WHEN "body" IS NOT NULL THEN "submitted_by_id" END, "created_at", "created_at" FROM `reports`;--> statement-breakpoint
DROP TABLE `reports`;--> statement-breakpoint
ALTER TABLE `__new_reports` RENAME TO `reports`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `reports_version_uq` ON `reports` (`program_id`,`kind`,`period_start`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `reports_draft_uq` ON `reports` (`program_id`,`kind`,`period_start`) WHERE "reports"."status" = 'draft';--> statement-breakpoint
-- A submitted version is frozen: only its acknowledgement by the city may be added. Corrections are new versions.
CREATE TRIGGER `reports_frozen_update` BEFORE UPDATE ON `reports`
WHEN old.status <> 'draft' AND (
  new.status NOT IN ('submitted', 'acknowledged')
  OR (old.status = 'acknowledged' AND new.status <> 'acknowledged')
  OR new.program_id IS NOT old.program_id OR new.kind IS NOT old.kind
  OR new.period_start IS NOT old.period_start OR new.period_end IS NOT old.period_end OR new.due_at IS NOT old.due_at
  OR new.version IS NOT old.version OR new.body IS NOT old.body OR new.remarks IS NOT old.remarks
  OR new.change_summary IS NOT old.change_summary OR new.submitted_at IS NOT old.submitted_at
  OR new.submitted_by_id IS NOT old.submitted_by_id OR new.created_by_id IS NOT old.created_by_id
  OR new.created_at IS NOT old.created_at
  OR (old.acknowledged_at IS NOT NULL AND (new.acknowledged_at IS NOT old.acknowledged_at OR new.acknowledged_by_id IS NOT old.acknowledged_by_id)))
BEGIN SELECT RAISE(ABORT, 'a submitted report is frozen: submit a new version instead'); END;
--> statement-breakpoint
CREATE TRIGGER `reports_frozen_delete` BEFORE DELETE ON `reports`
WHEN old.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a submitted report is frozen: submit a new version instead'); END;
