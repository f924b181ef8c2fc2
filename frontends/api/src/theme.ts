import type { GlobalThemeOverrides } from 'naive-ui';

/**
 * Naive UI theme shared by every app, so the card's panels look like one page. Text colours keep a contrast of at
 * least 4.5:1 on white and on the light surfaces (WCAG AA): Naive's own greys (secondary text, placeholders, the
 * text of empty states) are 1.8–4.2:1.
 */
export const portalTheme: GlobalThemeOverrides = {
  common: {
    primaryColor: '#1d4ed8',
    primaryColorHover: '#2563eb',
    primaryColorPressed: '#1e40af',
    primaryColorSuppl: '#2563eb',
    infoColor: '#0369a1',
    successColor: '#15803d',
    warningColor: '#b45309',
    errorColor: '#b91c1c',
    borderRadius: '6px',
    borderRadiusSmall: '4px',
    fontFamily:
      'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", system-ui, sans-serif',
    fontSize: '14px',
    textColor1: '#0f172a',
    textColor2: '#1e293b',
    textColor3: '#526175',
    placeholderColor: '#64748b',
  },
  Tag: {
    // a tag's text in its own colour on a 12 % tint of it: success and warning come to 4.3:1, so one shade darker
    textColorSuccess: '#166534',
    textColorWarning: '#92400e',
    textColorError: '#991b1b',
    textColorInfo: '#075985',
  },
  Empty: {
    // Naive draws the "no data" text in the disabled colour (1.8:1)
    textColor: '#526175',
  },
  Card: {
    borderColor: '#e2e8f0',
    titleFontSizeMedium: '16px',
    titleFontWeight: '600',
  },
  Table: {
    thColor: '#f8fafc',
    thTextColor: '#475569',
    thFontWeight: '600',
    borderColor: '#e9edf3',
  },
};
