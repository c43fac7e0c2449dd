-- Custom migration: the audit trail is evidence, so once written a row never changes or goes.
-- Someone with write access to the file can still drop these triggers; the hash chain is what
-- makes such an edit visible afterwards (Store.verifyAuditChain).
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
