import { getLocale, locales, login, navigate, safeReturnPath, setLocale, type Locale } from '@kartoteka/portal-api';
import { h } from './dom';
import { t } from './i18n';

export type LoginView = {
  element: HTMLElement;
  /** Called when the login route is entered: clears the password and focuses the form. */
  show: () => void;
  refresh: () => void;
};

/** The login page: plain DOM, no framework; on success goes to `?next=` or "My day". */
export const renderLogin = (): LoginView => {
  const title = h('h1', { class: 'kt-login__title' });
  const subtitle = h('p', { class: 'kt-login__subtitle' });

  const emailLabel = h('span', { class: 'kt-field__label' });
  const email = h('input', {
    class: 'kt-input',
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    'data-testid': 'login-email',
  });
  const passwordLabel = h('span', { class: 'kt-field__label' });
  const password = h('input', {
    class: 'kt-input',
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
    'data-testid': 'login-password',
  });
  const error = h('div', { class: 'kt-login__error', role: 'alert', 'data-testid': 'login-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'kt-button kt-button--primary kt-button--block', 'data-testid': 'login-submit' });

  const form = h('form', { class: 'kt-login__form', novalidate: true }, [
    h('label', { class: 'kt-field' }, [emailLabel, email]),
    h('label', { class: 'kt-field' }, [passwordLabel, password]),
    error,
    submit,
  ]);

  const localeButtons = locales.map((locale) => {
    const button = h('button', { type: 'button', class: 'kt-locale__option', 'data-locale': locale, 'data-testid': `login-locale-${locale}` }, [
      locale.toUpperCase(),
    ]);
    button.addEventListener('click', () => setLocale(locale as Locale));
    return button;
  });

  const brandName = h('span', { class: 'kt-brand__name' });
  const localeSwitch = h('div', { class: 'kt-locale', role: 'group', 'data-testid': 'login-locale-switch' }, localeButtons);
  // The language switch comes after the form, in the page and in the tab order: e-mail, password, sign in, RU/EN.
  const element = h('main', { class: 'kt-login', 'data-testid': 'login-page' }, [
    h('div', { class: 'kt-login__card' }, [
      h('div', { class: 'kt-login__top' }, [
        h('div', { class: 'kt-brand kt-brand--static' }, [
          h('span', { class: 'kt-brand__mark', 'aria-hidden': 'true' }, ['К']),
          h('span', { class: 'kt-brand__text' }, [brandName]),
        ]),
      ]),
      title,
      subtitle,
      form,
      h('div', { class: 'kt-login__bottom' }, [localeSwitch]),
    ]),
  ]);

  let busy = false;
  let errorKey: 'loginRequired' | 'loginInvalid' | 'loginThrottled' | 'loginNetwork' | 'loginUnknown' | null = null;
  /** Seconds to wait, while throttled (shown in the message). */
  let retryAfter = 0;

  const refresh = (): void => {
    title.textContent = t('loginTitle');
    subtitle.textContent = t('loginSubtitle');
    emailLabel.textContent = t('email');
    passwordLabel.textContent = t('password');
    submit.textContent = busy ? t('submitting') : t('submit');
    brandName.textContent = t('brand');
    localeSwitch.setAttribute('aria-label', t('localeSwitch'));
    error.hidden = errorKey === null;
    error.textContent = errorKey ? t(errorKey, { seconds: String(retryAfter) }) : '';
    for (const button of localeButtons) {
      const selected = button.dataset.locale === getLocale();
      button.classList.toggle('is-active', selected);
      button.setAttribute('aria-pressed', String(selected));
    }
  };

  const setBusy = (value: boolean): void => {
    busy = value;
    submit.disabled = value;
    email.disabled = value;
    password.disabled = value;
    refresh();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    if (email.value.trim() === '' || password.value === '') {
      errorKey = 'loginRequired';
      refresh();
      return;
    }
    errorKey = null;
    setBusy(true);
    void login(email.value, password.value).then((outcome) => {
      setBusy(false);
      if (outcome.ok) {
        password.value = '';
        const next = new URLSearchParams(window.location.search).get('next');
        navigate(safeReturnPath(next));
        return;
      }
      retryAfter = outcome.retryAfter ?? 0;
      errorKey =
        outcome.reason === 'invalid-credentials' ? 'loginInvalid' : outcome.reason === 'throttled' ? 'loginThrottled' : outcome.reason === 'network' ? 'loginNetwork' : 'loginUnknown';
      refresh();
      password.select();
    });
  });

  const show = (): void => {
    password.value = '';
    errorKey = null;
    refresh();
    window.setTimeout(() => (email.value ? password : email).focus(), 0);
  };

  refresh();
  return { element, show, refresh };
};
