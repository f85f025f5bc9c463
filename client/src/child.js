// Entry of the child's three houses page (templates/houses.html).
import { startChildPage } from './child-page.js';

startChildPage(document.querySelector('[data-meeting-id]'));
