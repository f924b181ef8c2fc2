import { defineComponent, h, type PropType, type VNode } from 'vue';
import { NAlert, NButton, NCard, NEmpty, NSkeleton, NSpin } from 'naive-ui';
import { apiErrorMessage, isNetworkFailure } from '@kartoteka/portal-api';
import type { CardPanel } from './card-panel';

/** An app's `t` (vue-i18n): the panel's texts are the app's own `panel.*` messages. */
export type PanelTranslate = (key: string, named?: Record<string, unknown>) => string;

/* Global CSS (the panel is rendered by several apps): every class is prefixed `kt-panel`. */
const PANEL_CSS = `
.kt-panel__title{display:flex;align-items:center;gap:8px}
.kt-panel__count{min-width:22px;padding:0 7px;border-radius:11px;background:#eef2f7;color:#475569;font-size:12px;font-weight:600;line-height:22px;text-align:center}
.kt-panel__body{padding:0 24px 20px}
.kt-panel__empty{padding:12px 0 28px}
.kt-panel__alert-action{margin-top:10px}
.kt-panel__footer{display:flex;align-items:center;justify-content:space-between;gap:12px}
.kt-panel__muted{color:#64748b}
.kt-panel .kt-panel__table th:first-child,.kt-panel .kt-panel__table td:first-child{padding-left:24px}
.kt-panel .kt-panel__table th:last-child,.kt-panel .kt-panel__table td:last-child{padding-right:24px}
.kt-panel .kt-panel__num{text-align:right;font-variant-numeric:tabular-nums}
.kt-panel .kt-panel__nowrap{white-space:nowrap}
.kt-panel .kt-panel__wide{min-width:220px;overflow-wrap:anywhere}
@media (max-width:600px){
table.kt-stack,.kt-panel table.kt-panel__table{display:block;width:100%}
table.kt-stack thead,.kt-panel table.kt-panel__table thead{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
table.kt-stack tbody,table.kt-stack tr,table.kt-stack td,.kt-panel table.kt-panel__table tbody,.kt-panel table.kt-panel__table tr,.kt-panel table.kt-panel__table td{display:block;width:100%;box-sizing:border-box}
table.kt-stack tr,.kt-panel table.kt-panel__table tr{padding:8px 0;border-bottom:1px solid #e2e8f0}
table.kt-stack td,.kt-panel table.kt-panel__table td{border:0!important;padding:2px 16px!important;min-width:0!important;text-align:left!important;white-space:normal!important;overflow-wrap:anywhere}
table.kt-stack td[data-label]::before,.kt-panel table.kt-panel__table td[data-label]::before{content:attr(data-label) ': ';color:#475569;font-size:12px}
}
`;

if (typeof document !== 'undefined' && !document.querySelector('style[data-mf="portal-api"]')) {
  const style = document.createElement('style');
  style.dataset.mf = 'portal-api';
  style.textContent = PANEL_CSS;
  document.head.appendChild(style);
}

/*
 * Under 600 px a panel's table (`kt-panel__table`, or any table with class `kt-stack`) becomes stacked rows: each
 * row a block, each cell a line with its column's name from its `data-label` (the header row stays for screen
 * readers, visually hidden) — nothing scrolls sideways inside the box on a phone.
 */

/**
 * The card of a counterparty panel listing one connection: title with the total, error with retry,
 * skeleton, empty state, the rows (default slot, e.g. an NTable with class `kt-panel__table`) and a
 * "load more" footer; an optional `header-extra` slot (e.g. a "new" link) sits at the right of the title. Test ids: `panel-<name>`, `<name>-total`, `<name>-error`, `<name>-empty`,
 * `<name>-load-more`; `data-state` is `loading`, `error` or `ready`.
 */
export const ConnectionPanel = defineComponent({
  name: 'ConnectionPanel',
  props: {
    name: { type: String, required: true },
    panel: { type: Object as PropType<CardPanel<unknown>>, required: true },
    t: { type: Function as PropType<PanelTranslate>, required: true },
    skeletonRows: { type: Number, default: 3 },
  },
  setup(props, { slots }) {
    const errorReason = (): string => {
      const error = props.panel.error.value;
      if (!error) return '';
      return isNetworkFailure(error) ? props.t('panel.networkError') : apiErrorMessage(error);
    };

    const body = (): VNode => {
      const { panel, t, name } = props;
      if (panel.failed.value) {
        return h('div', { class: 'kt-panel__body' }, [
          h(
            NAlert,
            { type: 'error', title: t('panel.error'), 'data-testid': `${name}-error` },
            {
              default: () => [
                t('panel.errorDetails', { message: errorReason() }),
                h('div', { class: 'kt-panel__alert-action' }, [
                  h(NButton, { size: 'small', loading: panel.loading.value, onClick: () => panel.retry() }, { default: () => t('panel.retry') }),
                ]),
              ],
            },
          ),
        ]);
      }
      if (panel.initialLoading.value) {
        return h('div', { class: 'kt-panel__body' }, [h(NSkeleton, { text: true, repeat: props.skeletonRows })]);
      }
      if (panel.rows.value.length === 0) {
        return h(NEmpty, { class: 'kt-panel__empty', size: 'small', description: t('panel.empty'), 'data-testid': `${name}-empty` });
      }
      return h(NSpin, { show: panel.loading.value && !panel.loadingMore.value, delay: 200 }, { default: () => slots.default?.() });
    };

    const footer = (): VNode => {
      const { panel, t, name } = props;
      return h('div', { class: 'kt-panel__footer' }, [
        h('span', { class: 'kt-panel__muted' }, t('panel.shownOf', { shown: panel.rows.value.length, total: panel.total.value })),
        panel.connection.value?.pageInfo.hasNextPage
          ? h(
              NButton,
              {
                secondary: true,
                size: 'small',
                loading: panel.loadingMore.value,
                'data-testid': `${name}-load-more`,
                onClick: () => panel.loadMore(),
              },
              { default: () => t('panel.loadMore') },
            )
          : null,
      ]);
    };

    return () => {
      const { panel, t, name } = props;
      if (panel.counterpartyMissing.value) return null;
      const failed = panel.failed.value;
      const header = (): VNode =>
        h('div', { class: 'kt-panel__title' }, [
          h('span', t('panel.title')),
          panel.connection.value
            ? h('span', { class: 'kt-panel__count', 'data-testid': `${name}-total` }, String(panel.total.value))
            : null,
        ]);
      return h(
        NCard,
        {
          class: 'kt-panel',
          size: 'medium',
          contentStyle: 'padding: 0',
          'data-testid': `panel-${name}`,
          'data-state': failed ? 'error' : panel.initialLoading.value ? 'loading' : 'ready',
        },
        {
          header,
          default: body,
          ...(!failed && panel.rows.value.length > 0 ? { footer } : {}),
          ...(slots['header-extra'] ? { 'header-extra': slots['header-extra'] } : {}),
        },
      );
    };
  },
});
