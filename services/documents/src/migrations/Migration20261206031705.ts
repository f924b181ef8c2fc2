import { Migration } from '@mikro-orm/migrations';

/** Notification kind PAYMENT_OVERDUE (finance's overdue obligations, issue 9). */
export class Migration20261206031705 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "notifications" drop constraint if exists "notifications_kind_check";`);
    this.addSql(`alter table "notification_preferences" drop constraint if exists "notification_preferences_kind_check";`);
    this.addSql(`alter table "notifications" add constraint "notifications_kind_check" check("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE', 'PAYMENT_OVERDUE'));`);
    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_kind_check" check("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE', 'PAYMENT_OVERDUE'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "notification_preferences" where "kind" = 'PAYMENT_OVERDUE';`);
    this.addSql(`delete from "mail_outbox" where "notification_id" in (select "id" from "notifications" where "kind" = 'PAYMENT_OVERDUE');`);
    this.addSql(`delete from "notifications" where "kind" = 'PAYMENT_OVERDUE';`);
    this.addSql(`alter table "notification_preferences" drop constraint if exists "notification_preferences_kind_check";`);
    this.addSql(`alter table "notifications" drop constraint if exists "notifications_kind_check";`);
    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_kind_check" check("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE'));`);
    this.addSql(`alter table "notifications" add constraint "notifications_kind_check" check("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE'));`);
  }

}
