CREATE TABLE `organisation_priorities` (
	`organisation_id` integer PRIMARY KEY NOT NULL,
	`score` real NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `organisation_priorities_score_idx` ON `organisation_priorities` ("score" desc,`organisation_id`);--> statement-breakpoint
CREATE TABLE `organisation_priorities_basis` (
	`id` integer PRIMARY KEY NOT NULL,
	`basis` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `organisation_priorities_stale` (
	`organisation_id` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE `organisation_stage_counts` (
	`owner_id` integer NOT NULL,
	`stage` text NOT NULL,
	`organisations` integer NOT NULL,
	`expected_applicants` integer NOT NULL,
	PRIMARY KEY(`owner_id`, `stage`)
);
--> statement-breakpoint
CREATE INDEX `organisations_live_stage_idx` ON `organisations` (`stage`,`stage_changed_at`,`id`,`expected_applicants`,`merged_into_id`) WHERE "organisations"."merged_into_id" is null;--> statement-breakpoint
CREATE INDEX `organisations_live_owner_stage_idx` ON `organisations` (`owner_id`,`stage`,`stage_changed_at`,`id`,`expected_applicants`,`merged_into_id`) WHERE "organisations"."merged_into_id" is null;--> statement-breakpoint
CREATE INDEX `organisations_live_kind_idx` ON `organisations` (`kind`,`merged_into_id`) WHERE "organisations"."merged_into_id" is null;--> statement-breakpoint
CREATE INDEX `organisations_live_district_idx` ON `organisations` (`district_id`,`merged_into_id`) WHERE "organisations"."merged_into_id" is null;
--> statement-breakpoint
-- Organisation search through an index (issue 14): FTS5 with the trigram tokenizer over the name, the
-- search key and the reading. Each value ends in two U+0001 characters, so every one- and two-character
-- substring starts some indexed trigram: queries shorter than three characters find their rows through the
-- term list (organisations_fts_terms) instead of scanning the table. Contentless: the text lives in organisations.
CREATE VIRTUAL TABLE `organisations_fts` USING fts5(name, search_key, name_kana, content='', contentless_delete=1, tokenize='trigram');
--> statement-breakpoint
CREATE VIRTUAL TABLE `organisations_fts_terms` USING fts5vocab(organisations_fts, 'instance');
--> statement-breakpoint
-- Kept in step by triggers, inside the writing transaction, whatever writes the row (forms, CSV import, merges).
CREATE TRIGGER `organisations_fts_insert` AFTER INSERT ON `organisations` BEGIN
  INSERT INTO organisations_fts(rowid, name, search_key, name_kana)
  VALUES (new.id, new.name || char(1, 1), new.search_key || char(1, 1), coalesce(new.name_kana, '') || char(1, 1));
END;
--> statement-breakpoint
CREATE TRIGGER `organisations_fts_update` AFTER UPDATE OF name, search_key, name_kana ON `organisations` BEGIN
  DELETE FROM organisations_fts WHERE rowid = old.id;
  INSERT INTO organisations_fts(rowid, name, search_key, name_kana)
  VALUES (new.id, new.name || char(1, 1), new.search_key || char(1, 1), coalesce(new.name_kana, '') || char(1, 1));
END;
--> statement-breakpoint
CREATE TRIGGER `organisations_fts_delete` AFTER DELETE ON `organisations` BEGIN
  DELETE FROM organisations_fts WHERE rowid = old.id;
END;
--> statement-breakpoint
-- Existing databases: index the organisations already there.
INSERT INTO organisations_fts(rowid, name, search_key, name_kana)
SELECT id, name || char(1, 1), search_key || char(1, 1), coalesce(name_kana, '') || char(1, 1) FROM organisations;
--> statement-breakpoint
-- Stored priority scores go stale when an input of the score changes; the list rescores them before reading.
-- NOT EXISTS rather than OR IGNORE: an upsert's conflict policy would override the trigger's (as in the district import).
CREATE TRIGGER `organisation_priorities_org_insert` AFTER INSERT ON `organisations` BEGIN
  INSERT INTO organisation_priorities_stale(organisation_id) SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM organisation_priorities_stale s WHERE s.organisation_id = new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_priorities_org_update` AFTER UPDATE OF kind, head_count, expected_applicants, district_id, merged_into_id ON `organisations` BEGIN
  INSERT INTO organisation_priorities_stale(organisation_id) SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM organisation_priorities_stale s WHERE s.organisation_id = new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_priorities_org_delete` AFTER DELETE ON `organisations` BEGIN
  DELETE FROM organisation_priorities_stale WHERE organisation_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_priorities_district_update` AFTER UPDATE OF population, cards_issued ON `districts` BEGIN
  INSERT INTO organisation_priorities_stale(organisation_id) SELECT o.id FROM organisations o WHERE o.district_id = new.id AND NOT EXISTS (SELECT 1 FROM organisation_priorities_stale s WHERE s.organisation_id = o.id);
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_priorities_visit_insert` AFTER INSERT ON `visits` WHEN new.organisation_id IS NOT NULL BEGIN
  INSERT INTO organisation_priorities_stale(organisation_id) SELECT new.organisation_id WHERE NOT EXISTS (SELECT 1 FROM organisation_priorities_stale s WHERE s.organisation_id = new.organisation_id);
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_priorities_visit_update` AFTER UPDATE OF kind, status, organisation_id, date, expected_applicants ON `visits` BEGIN
  INSERT INTO organisation_priorities_stale(organisation_id)
  SELECT x FROM (SELECT old.organisation_id AS x UNION SELECT new.organisation_id) WHERE x IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organisation_priorities_stale s WHERE s.organisation_id = x);
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_priorities_visit_delete` AFTER DELETE ON `visits` WHEN old.organisation_id IS NOT NULL BEGIN
  INSERT INTO organisation_priorities_stale(organisation_id) SELECT old.organisation_id WHERE NOT EXISTS (SELECT 1 FROM organisation_priorities_stale s WHERE s.organisation_id = old.organisation_id);
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_priorities_result_insert` AFTER INSERT ON `visit_results` BEGIN
  INSERT INTO organisation_priorities_stale(organisation_id)
  SELECT v.organisation_id FROM visits v WHERE v.id = new.visit_id AND v.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organisation_priorities_stale s WHERE s.organisation_id = v.organisation_id);
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_priorities_result_update` AFTER UPDATE ON `visit_results` BEGIN
  INSERT INTO organisation_priorities_stale(organisation_id)
  SELECT DISTINCT v.organisation_id FROM visits v WHERE v.id IN (old.visit_id, new.visit_id) AND v.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organisation_priorities_stale s WHERE s.organisation_id = v.organisation_id);
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_priorities_result_delete` AFTER DELETE ON `visit_results` BEGIN
  INSERT INTO organisation_priorities_stale(organisation_id)
  SELECT v.organisation_id FROM visits v WHERE v.id = old.visit_id AND v.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM organisation_priorities_stale s WHERE s.organisation_id = v.organisation_id);
END;
--> statement-breakpoint
-- Existing databases: every organisation is scored on the first read of the list.
INSERT INTO organisation_priorities_stale(organisation_id) SELECT id FROM organisations;
--> statement-breakpoint
-- organisation_stage_counts: a live organisation (merged_into_id is null) counts in its owner's (0: none) row
-- for its stage. Each trigger takes the old row out and puts the new one in; a missing row is made first
-- (NOT EXISTS rather than an upsert, whose conflict handling an outer upsert would override).
CREATE TRIGGER `organisation_stage_counts_insert` AFTER INSERT ON `organisations` WHEN new.merged_into_id IS NULL BEGIN
  INSERT INTO organisation_stage_counts(owner_id, stage, organisations, expected_applicants)
  SELECT coalesce(new.owner_id, 0), new.stage, 0, 0
  WHERE NOT EXISTS (SELECT 1 FROM organisation_stage_counts WHERE owner_id = coalesce(new.owner_id, 0) AND stage = new.stage);
  UPDATE organisation_stage_counts SET organisations = organisations + 1, expected_applicants = expected_applicants + coalesce(new.expected_applicants, 0)
  WHERE owner_id = coalesce(new.owner_id, 0) AND stage = new.stage;
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_stage_counts_update` AFTER UPDATE OF stage, owner_id, expected_applicants, merged_into_id ON `organisations` BEGIN
  UPDATE organisation_stage_counts SET organisations = organisations - 1, expected_applicants = expected_applicants - coalesce(old.expected_applicants, 0)
  WHERE old.merged_into_id IS NULL AND owner_id = coalesce(old.owner_id, 0) AND stage = old.stage;
  INSERT INTO organisation_stage_counts(owner_id, stage, organisations, expected_applicants)
  SELECT coalesce(new.owner_id, 0), new.stage, 0, 0
  WHERE new.merged_into_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM organisation_stage_counts WHERE owner_id = coalesce(new.owner_id, 0) AND stage = new.stage);
  UPDATE organisation_stage_counts SET organisations = organisations + 1, expected_applicants = expected_applicants + coalesce(new.expected_applicants, 0)
  WHERE new.merged_into_id IS NULL AND owner_id = coalesce(new.owner_id, 0) AND stage = new.stage;
END;
--> statement-breakpoint
CREATE TRIGGER `organisation_stage_counts_delete` AFTER DELETE ON `organisations` WHEN old.merged_into_id IS NULL BEGIN
  UPDATE organisation_stage_counts SET organisations = organisations - 1, expected_applicants = expected_applicants - coalesce(old.expected_applicants, 0)
  WHERE owner_id = coalesce(old.owner_id, 0) AND stage = old.stage;
END;
--> statement-breakpoint
-- Existing databases: count what is there.
INSERT INTO organisation_stage_counts(owner_id, stage, organisations, expected_applicants)
SELECT coalesce(owner_id, 0), stage, count(*), coalesce(sum(coalesce(expected_applicants, 0)), 0) FROM organisations WHERE merged_into_id IS NULL GROUP BY 1, 2;
