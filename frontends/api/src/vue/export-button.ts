import { computed, defineComponent, h, onBeforeUnmount, ref, type HTMLAttributes, type PropType } from 'vue';
import { NButton, NDropdown } from 'naive-ui';
import { downloadExport, EXPORT_FORMATS, ExportRequestError, type ExportFormat, type ExportParams } from '../exports';
import type { Locale } from '../i18n';
import { usePortalLocale } from './app-shell';

/* Global CSS (the button is rendered by several apps): every class is prefixed `kt-export`. */
const EXPORT_CSS = `
.kt-export{display:inline-flex;flex-wrap:wrap;align-items:center;gap:8px;max-width:100%}
.kt-export__error{color:#b91c1c;font-size:13px;overflow-wrap:anywhere}
`;

if (typeof document !== 'undefined' && !document.querySelector('style[data-mf="portal-api-export"]')) {
  const style = document.createElement('style');
  style.dataset.mf = 'portal-api-export';
  style.textContent = EXPORT_CSS;
  document.head.appendChild(style);
}

export type ExportButtonTexts = { label: string; busy: string; xlsx: string; csv: string; failed: string; tooMany: string; network: string };

/** The same words in every app (the button is the utility module's), in both portal languages. */
const TEXTS: Record<Locale, ExportButtonTexts> = {
  ru: {
    label: 'Экспорт',
    busy: 'Выгрузка…',
    xlsx: 'Excel (XLSX)',
    csv: 'CSV (Excel, разделитель «;»)',
    failed: 'Не удалось выгрузить: {message}',
    tooMany: 'Слишком много строк для одной выгрузки — уточните фильтры',
    network: 'Не удалось выгрузить: сервер недоступен',
  },
  en: {
    label: 'Export',
    busy: 'Exporting…',
    xlsx: 'Excel (XLSX)',
    csv: 'CSV (Excel, “;” separated)',
    failed: 'The export failed: {message}',
    tooMany: 'Too many rows for one export — narrow the filters',
    network: 'The export failed: the server is unreachable',
  },
};

/**
 * "Export" with a menu of XLSX / CSV: downloads the registry `registry` of `service` with `params` — the
 * filters and order the list shows (the variables of its query, read when clicked) — through the gateway.
 * Test ids: `<testId>` on the button, `<testId>-xlsx` / `<testId>-csv` on the menu items, `<testId>-error`.
 */
export const ExportButton = defineComponent({
  name: 'ExportButton',
  props: {
    service: { type: String, required: true },
    registry: { type: String, required: true },
    params: { type: Function as PropType<() => ExportParams>, required: true },
    testId: { type: String, default: 'export' },
    /** Replaces the built-in words (e.g. an app's own label). */
    texts: { type: Object as PropType<Partial<ExportButtonTexts>>, default: () => ({}) },
  },
  emits: { exported: (_name: string) => true },
  setup(props, { emit }) {
    const locale = usePortalLocale();
    const words = computed<ExportButtonTexts>(() => ({ ...TEXTS[locale.value], ...props.texts }));
    const busy = ref(false);
    const error = ref<string | null>(null);
    let aborter: AbortController | null = null;
    onBeforeUnmount(() => aborter?.abort());

    const run = async (format: ExportFormat): Promise<void> => {
      if (busy.value) return;
      busy.value = true;
      error.value = null;
      aborter = new AbortController();
      try {
        emit('exported', await downloadExport(props.service, props.registry, format, props.params(), aborter.signal));
      } catch (failure) {
        if (aborter.signal.aborted) return;
        if (failure instanceof ExportRequestError && failure.reason === 'export.too-many-rows') error.value = words.value.tooMany;
        else if (failure instanceof ExportRequestError && failure.status === 0) error.value = words.value.network;
        else error.value = words.value.failed.replace('{message}', failure instanceof Error ? failure.message : String(failure));
      } finally {
        busy.value = false;
        aborter = null;
      }
    };

    const options = computed(() =>
      EXPORT_FORMATS.map((format) => ({ key: format, label: words.value[format], props: { 'data-testid': `${props.testId}-${format}` } as HTMLAttributes })),
    );

    return () =>
      h('span', { class: 'kt-export' }, [
        h(
          NDropdown,
          { trigger: 'click', options: options.value, disabled: busy.value, onSelect: (key: string | number) => void run(key === 'csv' ? 'csv' : 'xlsx') },
          {
            default: () =>
              h(
                NButton,
                { loading: busy.value, 'data-testid': props.testId, 'aria-haspopup': 'menu', 'aria-busy': busy.value ? 'true' : 'false' },
                { default: () => (busy.value ? words.value.busy : words.value.label) },
              ),
          },
        ),
        error.value ? h('span', { class: 'kt-export__error', role: 'alert', 'data-testid': `${props.testId}-error` }, error.value) : null,
      ]);
  },
});
