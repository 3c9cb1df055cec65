-- Approvals and the audit log are records of what happened: never edited, never deleted.
CREATE TRIGGER `approvals_no_update` BEFORE UPDATE ON `approvals`
BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `approvals_no_delete` BEFORE DELETE ON `approvals`
BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
