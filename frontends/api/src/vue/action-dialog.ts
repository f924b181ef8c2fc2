import { defineComponent, h, type PropType } from 'vue';
import { NAlert, NButton, NModal } from 'naive-ui';

/* Global CSS (the dialog is rendered by several apps): every class is prefixed `kt-dialog`. */
const DIALOG_CSS = `
.kt-dialog__body{display:flex;flex-direction:column;gap:12px}
.kt-dialog__footer{display:flex;justify-content:flex-end;gap:8px}
`;

if (typeof document !== 'undefined' && !document.querySelector('style[data-mf="portal-api-dialog"]')) {
  const style = document.createElement('style');
  style.dataset.mf = 'portal-api-dialog';
  style.textContent = DIALOG_CSS;
  document.head.appendChild(style);
}

/**
 * The frame of an action: a titled modal with the action's fields (default slot), an error line and
 * "Cancel" / confirm (`cancelText` is the app's translation). Test ids: `<testId>` on the modal,
 * `<testId>-confirm`, `<testId>-cancel`, `<testId>-error`. Emits `close` and `confirm`.
 */
export const ActionDialog = defineComponent({
  name: 'ActionDialog',
  props: {
    show: { type: Boolean, required: true },
    title: { type: String, required: true },
    confirmText: { type: String, required: true },
    cancelText: { type: String, required: true },
    testId: { type: String, required: true },
    loading: { type: Boolean, default: false },
    disabled: { type: Boolean, default: false },
    error: { type: String as PropType<string | null>, default: null },
    danger: { type: Boolean, default: false },
    width: { type: String, default: '560px' },
  },
  emits: { close: () => true, confirm: () => true },
  setup(props, { emit, slots }) {
    return () =>
      h(
        NModal,
        {
          show: props.show,
          preset: 'card',
          title: props.title,
          bordered: false,
          segmented: { content: true, footer: 'soft' },
          style: { width: `min(${props.width}, 94vw)` },
          maskClosable: !props.loading,
          closeOnEsc: !props.loading,
          'data-testid': props.testId,
          'onUpdate:show': (value: boolean) => {
            if (!value) emit('close');
          },
        },
        {
          default: () =>
            h(
              'form',
              {
                class: 'kt-dialog__body',
                novalidate: true,
                onSubmit: (event: Event) => {
                  event.preventDefault();
                  if (!props.disabled && !props.loading) emit('confirm');
                },
              },
              [
                slots.default?.(),
                props.error ? h(NAlert, { type: 'error', 'data-testid': `${props.testId}-error` }, { default: () => props.error }) : null,
                h('button', { type: 'submit', hidden: true }),
              ],
            ),
          footer: () =>
            h('div', { class: 'kt-dialog__footer' }, [
              h(
                NButton,
                { disabled: props.loading, 'data-testid': `${props.testId}-cancel`, onClick: () => emit('close') },
                { default: () => props.cancelText },
              ),
              h(
                NButton,
                {
                  type: props.danger ? 'error' : 'primary',
                  loading: props.loading,
                  disabled: props.disabled,
                  'data-testid': `${props.testId}-confirm`,
                  onClick: () => emit('confirm'),
                },
                { default: () => props.confirmText },
              ),
            ]),
        },
      );
  },
});
