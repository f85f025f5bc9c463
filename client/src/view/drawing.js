// A picture drawn in CSS pixels to the width it is given (a phone, a laptop, the
// projector). It is drawn again when that width, the font size, the way the page reads
// (left to right or right to left) or what it shows changes,
// and waits while it is hidden (another tab on a phone) until it is shown.
const FALLBACK_FONT_SIZE = 18;

export class Drawing {
  // paint(input, {width, fontSize, fontFamily, direction}) draws `input` into the picture
  // (direction: 'ltr' or 'rtl', the way the page reads there)
  constructor(element, paint) {
    this.element = element;
    this.paint = paint;
    this.input = null;
    this.key = '';
    this.drawnFor = '';
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(element);
  }

  // key: changes exactly when `input` shows something new
  show(input, key) {
    this.input = input;
    this.key = key;
    this.draw();
  }

  draw() {
    const width = Math.floor(this.element.clientWidth);
    if (!this.input || !width) return;
    const style = getComputedStyle(this.element);
    const fontSize = parseFloat(style.fontSize) || FALLBACK_FONT_SIZE;
    const drawnFor = `${width}/${fontSize}/${style.direction}/${this.key}`;
    if (drawnFor === this.drawnFor) return;
    this.drawnFor = drawnFor;
    this.paint(this.input, { width, fontSize, fontFamily: style.fontFamily, direction: style.direction });
  }

  dispose() {
    this.resizeObserver.disconnect();
  }
}
