/**
 * SQL the generated migration cannot express: audit_records is append-only. Appended by hand to the
 * migration that creates the table (`up` after the create table, `down` before the drop). Idempotent.
 *
 * Row triggers reject UPDATE and DELETE, a statement trigger rejects TRUNCATE. Like every ordinary trigger
 * they do not fire under `session_replication_role = replica` (superuser only), which is how a privileged
 * attacker could still tamper — chain verification (AuditService.verifyChain) detects that.
 */
export const auditAppendOnlySql = {
  up: [
    `create or replace function audit_records_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_records is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end;
$$;`,
    `drop trigger if exists audit_records_no_update_delete on audit_records;`,
    `create trigger audit_records_no_update_delete before update or delete on audit_records for each row execute function audit_records_append_only();`,
    `drop trigger if exists audit_records_no_truncate on audit_records;`,
    `create trigger audit_records_no_truncate before truncate on audit_records for each statement execute function audit_records_append_only();`,
  ],
  // cascade: also drops the triggers (if the table is still there).
  down: [`drop function if exists audit_records_append_only() cascade;`],
} as const;
