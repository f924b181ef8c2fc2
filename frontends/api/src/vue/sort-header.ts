import { defineComponent, h, type PropType } from 'vue';

/* Global CSS (the header is rendered by several apps): every class is prefixed `kt-sort-header`. */
const SORT_HEADER_CSS = `
.kt-sort-header{display:inline-flex;align-items:center;gap:4px;padding:0;border:0;background:transparent;color:inherit;font:inherit;font-weight:inherit;text-align:inherit;cursor:pointer}
.kt-sort-header:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}
.kt-sort-header__mark{color:#475569;font-size:11px}
`;

if (typeof document !== 'undefined' && !document.querySelector('style[data-mf="portal-api-sort-header"]')) {
  const style = document.createElement('style');
  style.dataset.mf = 'portal-api-sort-header';
  style.textContent = SORT_HEADER_CSS;
  document.head.appendChild(style);
}

export type SortDir = 'asc' | 'desc';

/**
 * A sortable column header: a `th` whose `aria-sort` tells the state, holding a button (Tab, then Enter or Space)
 * named "<sortByText> (<ascText|descText>)". The app passes its translations (`sortByText` already names the
 * column); test ids: `<testId>` on the `th`, with `data-dir`. Emits `toggle`.
 */
export const SortHeader = defineComponent({
  name: 'SortHeader',
  props: {
    label: { type: String, required: true },
    dir: { type: String as PropType<SortDir | null>, default: null },
    testId: { type: String, required: true },
    sortByText: { type: String, required: true },
    ascText: { type: String, required: true },
    descText: { type: String, required: true },
  },
  emits: { toggle: () => true },
  setup(props, { emit }) {
    return () => {
      const name = props.dir ? `${props.sortByText} (${props.dir === 'asc' ? props.ascText : props.descText})` : props.sortByText;
      return h('th', { 'aria-sort': props.dir === 'asc' ? 'ascending' : props.dir === 'desc' ? 'descending' : 'none', 'data-testid': props.testId, 'data-dir': props.dir ?? '' }, [
        h('button', { type: 'button', class: 'kt-sort-header', 'aria-label': name, onClick: () => emit('toggle') }, [
          h('span', props.label),
          h('span', { class: 'kt-sort-header__mark', 'aria-hidden': 'true' }, props.dir === 'asc' ? '▲' : props.dir === 'desc' ? '▼' : '↕'),
        ]),
      ]);
    };
  },
});
