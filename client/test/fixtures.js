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
      sections: [
        { key: 'goals', labels: { safety: 'Safety goals', wellbeing: 'Wellbeing goals' } },
        { key: 'next_steps', labels: { safety: 'Next steps', wellbeing: 'Next steps' } },
      ],
    },
    {
      key: 'plan',
      heading: 'Our plan',
      prompt: 'What will we do?',
      view: 'plan',
      sections: [{ key: 'plan_rules', labels: { safety: 'What we will do', wellbeing: 'What we will do' } }],
    },
  ],
  timed_sections: ['next_steps', 'plan_rules'],
  groups: { family: 'Family', network: 'Network', professionals: 'Professionals' },
  review_prompts: ['What difference has the plan made so far?', 'Are you still worried?'],
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

export function boardPayload({ seq = 1, cards = [], scales = [], rounds = [], decision = null, minutes = [], myVotes = [], participants = [{ id: 'p_me', name: 'Sam', role: 'parent' }], me = { id: 'p_me', name: 'Sam', role: 'parent', can: { edit_board: true, edit_any_card: false, run_meeting: false } } } = {}) {
  return {
    seq,
    me,
    board: {
      meeting: { id: 'm1', title: 'Family meeting', status: 'open', vocabulary: 'safety' },
      participants,
      cards,
      scales,
      rounds,
      decision,
      minutes,
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
