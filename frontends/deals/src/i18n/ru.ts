/** Russian texts of the deals app (the default language). */
export const ru = {
  panel: {
    title: 'Сделки',
    empty: 'Сделок с контрагентом пока нет',
    error: 'Сделки сейчас недоступны. Остальная карточка работает.',
    errorDetails: 'Причина: {message}',
    networkError: 'сервер недоступен',
    retry: 'Повторить',
    loadMore: 'Показать ещё',
    shownOf: 'Показано {shown} из {total}',
    noValue: '—',
    create: 'Новая сделка',
    due: 'до {date}',
  },
  column: {
    title: 'Сделка',
    stage: 'Этап',
    amount: 'Сумма',
    owner: 'Ответственный',
    expectedCloseDate: 'Плановое закрытие',
    nextAction: 'Следующее действие',
  },
  stage: {
    lead: 'Лид',
    qualification: 'Квалификация',
    proposal: 'Предложение',
    negotiation: 'Переговоры',
    won: 'Успешно закрыта',
    lost: 'Проиграна',
  },
};

export type DealsMessages = typeof ru;
