import { createI18n } from 'vue-i18n';
import { getLocale, onLocaleChanged } from '@kartoteka/portal-api';
import { en } from './en';
import { ru } from './ru';
import { pagesEn } from './pages.en';
import { pagesRu } from './pages.ru';
import { tasksEn } from './tasks.en';
import { tasksRu } from './tasks.ru';
import { workplaceEn } from './workplace.en';
import { workplaceRu } from './workplace.ru';
import { templatesEn } from './templates.en';
import { templatesRu } from './templates.ru';

/** The documents app's vue-i18n instance; follows the portal language (`kartoteka:locale-changed`). */
export const i18n = createI18n({
  legacy: false,
  locale: getLocale(),
  fallbackLocale: 'ru',
  messages: { ru: { ...ru, ...tasksRu, ...pagesRu, ...workplaceRu, ...templatesRu }, en: { ...en, ...tasksEn, ...pagesEn, ...workplaceEn, ...templatesEn } },
});

onLocaleChanged((locale) => {
  i18n.global.locale.value = locale;
});
