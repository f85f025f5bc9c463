// A family group meeting's stages and private family time, as the page shows them: pure,
// from the board state and the server's time. Who is "the family" comes from the server
// (`template.family_roles`); the family's plan reaches only their screens, so here it is
// simply what the state holds.

// The server's clock as seen from this screen: its `now` (from `state`, heartbeats, `applied`)
// less this screen's time when it arrived. Countdowns use it, so that a phone whose clock is
// wrong counts down like everyone else.
export function clockOffset(serverNow, localMs) {
  const server = Date.parse(serverNow ?? '');
  return Number.isNaN(server) ? 0 : server - localMs;
}

// "Back at 14:30" in this screen's time of day.
export function clockTime(iso) {
  const when = new Date(iso);
  return `${String(when.getHours()).padStart(2, '0')}:${String(when.getMinutes()).padStart(2, '0')}`;
}

// Whole seconds until `iso`, by the server's clock; 0 once it has passed.
export function secondsLeft(iso, offsetMs, localMs) {
  return Math.max(0, Math.ceil((Date.parse(iso) - (localMs + offsetMs)) / 1000));
}

// "12:05" (minutes and seconds), or "1:02:05" past an hour.
export function countdown(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

// The ISO time (UTC) of the next `hh:mm` on this screen's clock from `localMs`: today, or
// tomorrow when that time of day has passed (family time over midnight).
export function nextTimeOfDay(hhmm, localMs) {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm ?? '');
  if (!match) return null;
  const when = new Date(localMs);
  when.setHours(Number(match[1]), Number(match[2]), 0, 0);
  if (when.getTime() <= localMs) when.setDate(when.getDate() + 1);
  return when.toISOString();
}

// What the stage bar and family time show one person.
export function describeFamilyTime(state, meId) {
  const meeting = state.meeting;
  const template = state.template;
  const role = state.participants.get(meId)?.role ?? state.me?.role ?? null;
  const isFamily = (template.family_roles ?? []).includes(role);
  const time = state.familyTime;
  const running = Boolean(time && !time.ended_at);
  const items = [...state.familyPlan.values()]
    .filter((item) => !item.shared_as)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  return {
    hasStages: Boolean(meeting?.stage),
    stage: meeting?.stage ?? null,
    stages: template.stages ?? [],
    isFamily,
    running,
    backAt: time?.back_at ?? null,
    // The facilitator asked and the family have not said yes or not yet.
    asked: running && Boolean(time.asked_at) && !time.answer,
    notYet: running && time.answer === 'not_yet',
    items,
    planSections: (template.columns.find((column) => column.view === 'plan')?.sections ?? []),
  };
}
