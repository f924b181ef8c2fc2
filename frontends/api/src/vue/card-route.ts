import { shallowReadonly, shallowRef, type Ref } from 'vue';

/** Id of the counterparty whose card is open (`/counterparties/:id`), or null elsewhere. */
const cardIdOf = (pathname: string): string | null => {
  const match = /^\/counterparties\/([^/]+)\/?$/.exec(pathname);
  return match && match[1] !== 'new' ? decodeURIComponent(match[1]) : null;
};

const current = shallowRef<string | null>(cardIdOf(window.location.pathname));

const sync = (): void => {
  const next = cardIdOf(window.location.pathname);
  if (next !== current.value) current.value = next;
};

window.addEventListener('popstate', sync);
window.addEventListener('single-spa:routing-event', sync);

/** The id of the open counterparty card, following the portal's routing (null off the card). */
export const useCardId = (): Readonly<Ref<string | null>> => shallowReadonly(current);
