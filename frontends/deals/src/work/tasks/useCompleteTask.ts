import { ref } from 'vue';
import { useMutation } from '@vue/apollo-composable';
import { useMessage } from 'naive-ui';
import { useI18n } from 'vue-i18n';
import { emitPortalEvent } from '@kartoteka/portal-api';
import { COMPLETE_TASK_ROW } from '../../api/task.queries';
import type { TaskListRow } from '../../api/project.queries';
import { describeError } from '../../model/errors';

/**
 * Completes a task from a list (with the version the row shows): tells the portal the user's work changed
 * (navigation counts, "My day") and calls `after` (the list refetches). One task at a time per row.
 */
export const useCompleteTask = (after: () => unknown) => {
  const { t } = useI18n();
  const message = useMessage();
  const busy = ref<Set<string>>(new Set());
  const { mutate } = useMutation(COMPLETE_TASK_ROW);
  const complete = async (task: Pick<TaskListRow, 'id' | 'version' | 'title'>): Promise<void> => {
    if (busy.value.has(task.id)) return;
    busy.value = new Set([...busy.value, task.id]);
    try {
      await mutate({ input: { id: task.id, version: task.version } });
      message.success(t('tasks.completedToast', { title: task.title }));
      emitPortalEvent('kartoteka:work-changed', { source: 'deals' });
      await after();
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      const next = new Set(busy.value);
      next.delete(task.id);
      busy.value = next;
    }
  };
  return { complete, busy };
};
