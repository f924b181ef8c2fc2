import { computed, defineComponent, h, onBeforeUnmount, shallowRef, type Component, type Ref } from 'vue';
import { NConfigProvider, dateEnUS, dateRuRU, enUS, ruRU } from 'naive-ui';
import { getLocale, onLocaleChanged, portalTheme, type Locale } from '@kartoteka/portal-api';
import { useCardId } from './card-route';

/** The portal's UI language as a ref, following `kartoteka:locale-changed` while the component lives. */
export const usePortalLocale = (): Readonly<Ref<Locale>> => {
  const locale = shallowRef<Locale>(getLocale());
  onBeforeUnmount(
    onLocaleChanged((next) => {
      locale.value = next;
    }),
  );
  return locale;
};

/** The root of an app: Naive UI in the portal's language and theme. Attributes (e.g. class) reach its element. */
export const PortalAppShell = defineComponent({
  name: 'PortalAppShell',
  setup(_props, { slots }) {
    const locale = usePortalLocale();
    const naiveLocale = computed(() => (locale.value === 'en' ? enUS : ruRU));
    const naiveDateLocale = computed(() => (locale.value === 'en' ? dateEnUS : dateRuRU));
    return () =>
      h(
        NConfigProvider,
        { locale: naiveLocale.value, dateLocale: naiveDateLocale.value, themeOverrides: portalTheme },
        { default: () => slots.default?.() },
      );
  },
});

/**
 * The root component of an app that adds one panel to the counterparty card: the panel, given
 * `counterpartyId`, while a card is open (re-created for another card), inside `PortalAppShell`.
 */
export const defineCardPanelApp = (panel: Component<{ counterpartyId: string }>): Component =>
  defineComponent({
    name: 'CardPanelApp',
    setup() {
      const cardId = useCardId();
      return () =>
        h(PortalAppShell, null, {
          default: () => (cardId.value ? h(panel, { key: cardId.value, counterpartyId: cardId.value }) : null),
        });
    },
  });
