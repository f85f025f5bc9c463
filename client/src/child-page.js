// The child's three houses: their words, pictures and drawings in worries, good things and
// dreams, each with who can see it. Reached by the child's own link (or opened by their
// worker with them on a tablet). Every label can be read aloud where the browser has a voice
// of the page's language.
import { audienceWords } from './audience.js';
import { feedState } from './feed.js';
import { myHouses } from './houses.js';
import * as ops from './ops.js';
import { PICTURE_CREDIT } from './pictures.js';
import { connectToMeeting } from './socket.js';
import { onVoicesChanged, say, voiceFor } from './speech.js';
import { BoardState } from './state.js';
import { WORDS } from './words.js';
import { ConnectionView } from './view/connection-view.js';
import { setText, show } from './view/dom.js';
import { HousesView } from './view/houses-view.js';
import { Toasts } from './view/toasts.js';

export function startChildPage(root) {
  const part = (role) => root.querySelector(`[data-role="${role}"]`);
  const state = new BoardState();
  const connection = connectToMeeting(root.dataset.meetingId);
  const connectionView = new ConnectionView(part('connection'), part('refused'));
  const toasts = new Toasts(part('toasts'));
  const send = (op) => connection.send(op);
  const view = new HousesView(part('houses'), {
    add: (house, content) => send(ops.addHouseItem(house, content)),
    share: (itemId, sharing) => send(ops.shareHouseItem(itemId, sharing)),
    remove: (itemId) => send(ops.removeHouseItem(itemId)),
  });
  setText(part('houses-hello'), WORDS.houses.hello);
  setText(part('credit'), PICTURE_CREDIT);
  setText(part('to-board'), WORDS.houses.toBoard);
  readToMe(root, part('read-to-me'));

  let frame = false;
  const render = () => {
    if (frame) return;
    frame = true;
    requestAnimationFrame(() => {
      frame = false;
      if (!state.loaded) return;
      const name = state.me?.name ?? '';
      setText(part('houses-title'), WORDS.houses.title(name));
      document.title = `${WORDS.houses.title(name)} – Kinboard`;
      // Once the minutes are taken the houses stay as they are (the server refuses changes).
      const frozen = state.minutes.size > 0 || state.meeting.status !== 'open';
      setText(part('houses-frozen'), WORDS.houses.frozen);
      show(part('houses-frozen'), frozen);
      const nameOf = (id) => state.participants.get(id)?.name;
      const markingOf = (item) => audienceWords({ audience: item.marking }, state.template, nameOf);
      view.render({ houses: myHouses(state, connection.pendingOps()), frozen, labels: state.template.houses, markingOf });
    });
  };
  feedState(connection, state, render);
  connection.on('pending', render);
  connection.on('status', (status) => connectionView.render(status));
  connection.on('refused', ({ message }) => toasts.problem(message || WORDS.changeRefused));
  connectionView.render(connection.status());
}

// "Read to me": while on, touching anything with words says them (`data-say`, else its
// text), in a voice of the page's language, as the board reads. Hidden while the browser
// has no such voice (voices arrive after the page loads, and may change).
function readToMe(root, toggle) {
  setText(toggle, WORDS.houses.readToMe);
  const offer = () => {
    const can = voiceFor() !== null;
    show(toggle, can);
    if (!can) toggle.setAttribute('aria-pressed', 'false');
  };
  offer();
  onVoicesChanged(offer);
  toggle.addEventListener('click', () => {
    const on = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', String(on));
    say(on ? WORDS.houses.readToMe : '');
  });
  root.addEventListener('click', (event) => {
    if (toggle.getAttribute('aria-pressed') !== 'true') return;
    const target = event.target.closest('[data-say], button, h2, label, a');
    if (!target || target === toggle) return;
    say(target.dataset.say || target.getAttribute('aria-label') || target.textContent.trim());
  });
}
