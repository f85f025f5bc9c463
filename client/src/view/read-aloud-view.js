// The read-aloud controls: a small speaker button on each card, on each column's heading
// ("Read this column", and on the plan "Read our plan"), on each scale and on each line
// of the family's own plan. They show only
// while the browser has a voice for the person's language (its voices arrive after the
// page loads, and can change): one attribute on the page's root, which the stylesheet
// reads, so a card made later needs nothing. A second press stops the reading.
import { t } from '../i18n.js';
import { onVoicesChanged, readAloud, stopReading, voiceFor } from '../speech.js';
import { el, svgEl } from './dom.js';

const LABELS = {
  card: () => t('Read this card aloud'),
  column: () => t('Read this column aloud'),
  plan: () => t('Read our plan aloud'),
  scale: () => t('Read this scale aloud'),
  'family-item': () => t('Read this line aloud'),
};

// read: what it reads ('card', 'column', 'plan', 'scale', 'family-item'); target: which one;
// describedBy: the id of its heading, so that each says which it reads
export function speakerButton(read, target = '', describedBy = null) {
  const label = LABELS[read]();
  return el(
    'button',
    {
      type: 'button',
      class: 'read-aloud',
      'aria-label': label,
      title: label,
      'aria-pressed': 'false',
      'aria-describedby': describedBy,
      dataset: { action: 'read-aloud', read, target },
    },
    speakerIcon(),
  );
}

// root: the page; sentencesOf(button): what the pressed control reads (see read-aloud.js)
export class ReadAloudControls {
  constructor(root, sentencesOf) {
    this.reading = null; // the control whose words are being read
    const showWhereVoiced = () => root.toggleAttribute('data-read-aloud', Boolean(voiceFor()));
    showWhereVoiced();
    onVoicesChanged(showWhereVoiced);
    root.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action="read-aloud"]');
      if (button) this.toggle(button, sentencesOf(button.dataset));
    });
  }

  toggle(button, sentences) {
    if (this.reading === button) return stopReading();
    const started = readAloud(sentences, {
      done: () => {
        button.setAttribute('aria-pressed', 'false');
        if (this.reading === button) this.reading = null;
      },
    });
    if (!started) return;
    this.reading = button;
    button.setAttribute('aria-pressed', 'true');
  }
}

function speakerIcon() {
  return svgEl(
    'svg',
    { class: 'read-aloud-icon', viewBox: '0 0 24 24', width: '18', height: '18', 'aria-hidden': 'true', focusable: 'false' },
    svgEl('path', { d: 'M4 9h4l5-4v14l-5-4H4z', fill: 'currentColor' }),
    svgEl('path', { d: 'M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12', fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round' }),
  );
}
