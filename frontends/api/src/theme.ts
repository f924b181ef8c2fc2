import type { GlobalThemeOverrides } from 'naive-ui';

/** Naive UI theme shared by every app, so the card's panels look like one page. */
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
    textColor3: '#64748b',
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
