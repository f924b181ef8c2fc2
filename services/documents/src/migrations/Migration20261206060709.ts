import { Migration } from '@mikro-orm/migrations';

/**
 * Task reminders from deals (issue 11): notification kinds TASK_DUE_SOON and TASK_OVERDUE, the task a notification
 * reminds of (`task_id`; its `document_id` may then be null), and `handled_at` — when the work behind it was done.
 */
export class Migration20261206060709 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "notifications" drop constraint if exists "notifications_kind_check";`);
    this.addSql(`alter table "notification_preferences" drop constraint if exists "notification_preferences_kind_check";`);

    this.addSql(`alter table "notifications" add column "task_id" uuid null, add column "handled_at" timestamptz null;`);
    this.addSql(`alter table "notifications" alter column "document_id" drop not null;`);
    this.addSql(`alter table "notifications" add constraint "notifications_kind_check" check("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE', 'PAYMENT_OVERDUE', 'TASK_DUE_SOON', 'TASK_OVERDUE'));`);
    this.addSql(`create index "notifications_task_index" on "notifications" ("task_id") where "task_id" is not null;`);

    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_kind_check" check("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE', 'PAYMENT_OVERDUE', 'TASK_DUE_SOON', 'TASK_OVERDUE'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "notification_preferences" where "kind" in ('TASK_DUE_SOON', 'TASK_OVERDUE');`);
    this.addSql(`delete from "mail_outbox" where "notification_id" in (select "id" from "notifications" where "kind" in ('TASK_DUE_SOON', 'TASK_OVERDUE') or "document_id" is null);`);
    this.addSql(`delete from "notifications" where "kind" in ('TASK_DUE_SOON', 'TASK_OVERDUE') or "document_id" is null;`);

    this.addSql(`alter table "notification_preferences" drop constraint if exists "notification_preferences_kind_check";`);
    this.addSql(`alter table "notifications" drop constraint if exists "notifications_kind_check";`);

    this.addSql(`drop index if exists "notifications_task_index";`);
    this.addSql(`alter table "notifications" drop column "task_id", drop column "handled_at";`);
    this.addSql(`alter table "notifications" alter column "document_id" set not null;`);

    this.addSql(`alter table "notification_preferences" add constraint "notification_preferences_kind_check" check("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE', 'PAYMENT_OVERDUE'));`);
    this.addSql(`alter table "notifications" add constraint "notifications_kind_check" check("kind" in ('APPROVAL_TASK', 'REWORK_NEEDED', 'ACKNOWLEDGEMENT_REQUESTED', 'DEADLINE_PASSED', 'DOCUMENT_SIGNED', 'DECISION_MADE', 'PAYMENT_OVERDUE'));`);
  }

}
