// Shared test data: a `state` payload shaped like docs/protocol.md.
export const TEMPLATE = {
  columns: [
    {
      key: 'worries',
      heading: 'What are we worried about?',
      prompt: 'What has happened that worries us?',
      sections: [
        { key: 'harm', labels: { safety: 'What has happened (harm)', wellbeing: 'What has happened' } },
        { key: 'danger', labels: { safety: 'Danger statements', wellbeing: 'Worry statements' } },
      ],
    },
    {
      key: 'needs_to_happen',
      heading: 'What needs to happen?',
      prompt: 'What are the next steps?',
      sections: [{ key: 'goals', labels: { safety: 'Safety goals', wellbeing: 'Wellbeing goals' } }],
    },
  ],
  roles: { facilitator: 'Facilitator', parent: 'Parent or carer', network: 'Family, friend or support person' },
  self_chosen_roles: ['parent', 'network'],
};

export function card(id, section, position, extra = {}) {
  return {
    id,
    section,
    position,
    text: `text of ${id}`,
    attributed_to: null,
    author: 'p_me',
    stances: {},
    ...extra,
  };
}

export function boardPayload({ seq = 1, cards = [], scales = [], rounds = [], myVotes = [], participants = [{ id: 'p_me', name: 'Sam', role: 'parent' }], me = { id: 'p_me', name: 'Sam', role: 'parent', can: { edit_board: true, edit_any_card: false, run_meeting: false } } } = {}) {
  return {
    seq,
    me,
    board: {
      meeting: { id: 'm1', title: 'Family meeting', status: 'open', vocabulary: 'safety' },
      participants,
      cards,
      scales,
      rounds,
    },
    template: TEMPLATE,
    my_votes: myVotes,
  };
}

// A stand-in for sessionStorage.
export function memoryStorage(initial = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}
