/** Russian texts of the documents app (the default language). */
export const ru = {
  panel: {
    title: 'Документы',
    empty: 'Документов по контрагенту пока нет',
    error: 'Документы сейчас недоступны. Остальная карточка работает.',
    errorDetails: 'Причина: {message}',
    networkError: 'сервер недоступен',
    retry: 'Повторить',
    loadMore: 'Показать ещё',
    shownOf: 'Показано {shown} из {total}',
    noValue: '—',
  },
  column: {
    type: 'Вид',
    number: 'Номер',
    date: 'Дата',
    title: 'Наименование',
    amount: 'Сумма',
    status: 'Статус',
    author: 'Автор',
  },
  type: {
    INCOMING_LETTER: 'Входящее письмо',
    OUTGOING_LETTER: 'Исходящее письмо',
    CONTRACT: 'Договор',
    SUPPLEMENTARY_AGREEMENT: 'Дополнительное соглашение',
    INVOICE: 'Счёт',
    ACT: 'Акт',
    PAYMENT_ORDER: 'Платёжное поручение',
    COMMERCIAL_OFFER: 'Коммерческое предложение',
    OTHER: 'Прочее',
  },
  status: {
    DRAFT: 'Черновик',
    ON_APPROVAL: 'На согласовании',
    APPROVED: 'Согласован',
    REJECTED: 'Отклонён',
    SIGNED: 'Подписан',
    IN_FORCE: 'Действует',
    EXECUTED: 'Исполнен',
    TERMINATED: 'Расторгнут',
    CANCELLED: 'Аннулирован',
  },
};

export type DocumentsMessages = typeof ru;
