// What the step bar, the timer, the spotlight and "I'm done" show, worked out from the
// entities the server sends (docs/protocol.md, "Steering the meeting"). Pure, so it can
// be unit-tested; the rules (who may, the limits) stay the server's.
import { countdown } from './family-time.js';
import { t } from './i18n.js';

// The agenda as the step bar shows it. The steps a meeting starts with are the template's
// msgids: each reader sees them in their own language (see template-words.js).
export function describeAgenda(agenda) {
  if (!agenda?.steps?.length) return null;
  const current = Math.min(agenda.current, agenda.steps.length - 1);
  const steps = agenda.steps.map((step) => t(step));
  return {
    steps,
    current,
    title: steps[current],
    isFirst: current === 0,
    isLast: current === agenda.steps.length - 1,
  };
}

// The step the facilitator last asked to go to and the server has not confirmed yet (null:
// none), so that pressing "Next step" twice quickly goes on two steps.
export function pendingStep(pendingOps) {
  const asked = pendingOps.filter((op) => op.type === 'agenda.go');
  return asked.length ? asked[asked.length - 1].step : null;
}

// The timer at `nowMs` (server time, see BoardState.setServerTime): null when none is going.
// A part of a second left shows as a whole one, so the clock says 0:00 only when time is up.
export function describeTimer(timer, nowMs) {
  if (!timer || timer.status === 'stopped') return null;
  const remainingMs =
    timer.status === 'paused' ? timer.remaining_ms : Math.max(0, Date.parse(timer.ends_at) - nowMs);
  return {
    paused: timer.status === 'paused',
    remainingMs,
    up: timer.status === 'running' && remainingMs <= 0,
    clock: countdown(Math.ceil(Math.max(0, remainingMs) / 1000)),
    round: timer.round,
  };
}

// Who has said "I'm done" and "I need more time" (names, people still in the meeting
// only), and what I said.
export function describeReadiness(readiness, participants, meId) {
  const done = [];
  const moreTime = [];
  for (const [participantId, said] of Object.entries(readiness?.answers ?? {})) {
    const person = participants.get(participantId);
    if (!person || person.removed) continue;
    (said === 'done' ? done : moreTime).push(person.name);
  }
  return { done, moreTime, mine: readiness?.answers?.[meId] ?? null };
}

// The spotlight, or null: what it is on, and the tab (column, or "scales") that shows it.
// A spotlight on something no longer on the board is none.
export function describeFocus(focus, template, state) {
  if (!focus?.kind) return null;
  const columnOf = (section) => template.columns.find((c) => c.sections.some((s) => s.key === section))?.key;
  let column = null;
  if (focus.kind === 'section') column = columnOf(focus.target);
  else if (focus.kind === 'card') column = columnOf(state.cards.get(focus.target)?.section);
  else if (focus.kind === 'scale' && state.scales.has(focus.target)) column = 'scales';
  if (!column) return null;
  return { kind: focus.kind, target: focus.target, column, at: focus.at };
}

// The element a spotlight is on, found by the data attributes the views give them.
export function focusSelector(focus) {
  const attribute = { section: 'section', card: 'card-id', scale: 'scale-id' }[focus.kind];
  return `[data-${attribute}="${CSS.escape(focus.target)}"]`;
}
