import { createI18n } from 'vue-i18n';
import { getLocale, onLocaleChanged } from '@kartoteka/portal-api';
import { en } from './en';
import { ru } from './ru';

/** The mailings app's vue-i18n instance; follows the portal language (`kartoteka:locale-changed`). */
export const i18n = createI18n({
  legacy: false,
  locale: getLocale(),
  fallbackLocale: 'ru',
  messages: { ru, en },
});

onLocaleChanged((locale) => {
  i18n.global.locale.value = locale;
});
