import { createI18n } from 'vue-i18n';
import { getLocale, onLocaleChanged } from '@kartoteka/portal-api';
import { caseEn } from './case.en';
import { caseRu } from './case.ru';
import { designerEn } from './designer.en';
import { designerRu } from './designer.ru';
import { en } from './en';
import { funnelEn } from './funnel.en';
import { funnelRu } from './funnel.ru';
import { ru } from './ru';
import { workEn } from './work.en';
import { workRu } from './work.ru';

/** The deals app's vue-i18n instance; follows the portal language (`kartoteka:locale-changed`). */
export const i18n = createI18n({
  legacy: false,
  locale: getLocale(),
  fallbackLocale: 'ru',
  messages: { ru: { ...ru, ...funnelRu, ...caseRu, ...designerRu, ...workRu }, en: { ...en, ...funnelEn, ...caseEn, ...designerEn, ...workEn } },
});

onLocaleChanged((locale) => {
  i18n.global.locale.value = locale;
});
